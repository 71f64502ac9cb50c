import { createBrowserRouter, Navigate, Outlet } from 'react-router';
import { RouteErrorPage } from '../components/route-error-page';
import { LandingRedirect } from '../features/auth/components/landing-redirect';
import { LoginPage } from '../features/auth/components/login-page';
import { RequireRole } from '../features/auth/components/require-role';
import { RequireSession } from '../features/auth/components/require-session';
import { CallCenterPage } from '../features/call-center/components/call-center-page';
import { AppLayout } from './layout';
import { NotFoundRoute } from './not-found-route';

/*
 * The agent's Call Center is in the main bundle; manager and admin pages load on demand, so the
 * screen an agent uses all day stays small.
 */
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
              { index: true, element: <LandingRedirect /> },
              { path: 'call-center', element: <CallCenterPage /> },
              {
                path: 'manager',
                element: (
                  <RequireRole area="manager">
                    <Outlet />
                  </RequireRole>
                ),
                children: [
                  { index: true, element: <Navigate to="/manager/floor" replace /> },
                  {
                    path: 'floor',
                    lazy: async () => ({
                      Component: (await import('../features/floor/components/floor-page')).FloorPage,
                    }),
                  },
                  {
                    path: 'teams',
                    lazy: async () => ({
                      Component: (await import('../features/teams/components/teams-page')).TeamsPage,
                    }),
                  },
                  {
                    path: 'campaigns',
                    lazy: async () => ({
                      Component: (await import('../features/campaigns/components/campaigns-page')).CampaignsPage,
                    }),
                  },
                  {
                    path: 'campaigns/:campaignId',
                    lazy: async () => ({
                      Component: (await import('../features/campaigns/components/campaign-page')).CampaignPage,
                    }),
                  },
                  {
                    path: 'lists',
                    lazy: async () => ({
                      Component: (await import('../features/lists/components/lists-page')).ListsPage,
                    }),
                  },
                  {
                    path: 'lists/:listId',
                    lazy: async () => ({
                      Component: (await import('../features/lists/components/list-page')).ListPage,
                    }),
                  },
                  {
                    path: 'donors',
                    lazy: async () => ({
                      Component: (await import('../features/donors/components/donors-page')).DonorsPage,
                    }),
                  },
                  {
                    path: 'donors/:donorId',
                    lazy: async () => ({
                      Component: (await import('../features/donors/components/donor-page')).DonorPage,
                    }),
                  },
                  {
                    path: 'calls',
                    lazy: async () => ({
                      Component: (await import('../features/calls/components/calls-page')).CallsPage,
                    }),
                  },
                  {
                    path: 'appointments',
                    lazy: async () => ({
                      Component: (await import('../features/appointments/components/appointments-page'))
                        .AppointmentsPage,
                    }),
                  },
                  {
                    path: 'inbound-lines',
                    lazy: async () => ({
                      Component: (await import('../features/inbound/components/inbound-lines-page')).InboundLinesPage,
                    }),
                  },
                ],
              },
              {
                path: 'admin',
                element: (
                  <RequireRole area="admin">
                    <Outlet />
                  </RequireRole>
                ),
                children: [
                  { index: true, element: <Navigate to="/admin/users" replace /> },
                  {
                    path: 'users',
                    lazy: async () => ({
                      Component: (await import('../features/admin/components/users-page')).UsersPage,
                    }),
                  },
                  {
                    path: 'settings',
                    lazy: async () => ({
                      Component: (await import('../features/admin/components/settings-page')).SettingsPage,
                    }),
                  },
                  {
                    path: 'organisation',
                    lazy: async () => ({
                      Component: (await import('../features/organisation/components/organisation-page'))
                        .OrganisationPage,
                    }),
                  },
                  {
                    path: 'phone-systems',
                    lazy: async () => ({
                      Component: (await import('../features/inbound/components/phone-systems-page')).PhoneSystemsPage,
                    }),
                  },
                ],
              },
            ],
          },
        ],
      },
      { path: '*', element: <NotFoundRoute /> },
    ],
  },
]);
