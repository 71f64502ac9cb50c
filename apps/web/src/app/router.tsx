import { createBrowserRouter, Navigate } from 'react-router';
import { RouteErrorPage } from '../components/route-error-page';
import { AdminSettingsPage } from '../features/admin/components/admin-settings-page';
import { LoginPage } from '../features/auth/components/login-page';
import { RequireRole } from '../features/auth/components/require-role';
import { RequireSession } from '../features/auth/components/require-session';
import { CallCenterPage } from '../features/call-center/components/call-center-page';
import { ManagerOverviewPage } from '../features/manager/components/manager-overview-page';
import { AppLayout } from './layout';
import { NotFoundRoute } from './not-found-route';

export const router = createBrowserRouter([
  {
    errorElement: <RouteErrorPage />,
    children: [
      { path: '/login', element: <LoginPage /> },
      {
        element: <RequireSession />,
        children: [
          {
            element: <AppLayout />,
            children: [
              { index: true, element: <Navigate to="/call-center" replace /> },
              { path: 'call-center', element: <CallCenterPage /> },
              {
                path: 'manager',
                element: (
                  <RequireRole area="manager">
                    <ManagerOverviewPage />
                  </RequireRole>
                ),
              },
              {
                path: 'admin',
                element: (
                  <RequireRole area="admin">
                    <AdminSettingsPage />
                  </RequireRole>
                ),
              },
            ],
          },
        ],
      },
      { path: '*', element: <NotFoundRoute /> },
    ],
  },
]);
