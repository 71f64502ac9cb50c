import { Group } from '@mantine/core';
import { IconHeadset, IconLayoutDashboard, IconSettings } from '@tabler/icons-react';
import { canAccess } from '../lib/roles';
import { useCurrentUser } from '../lib/session';
import { NavMenu } from './nav-menu';

/** The top menu bar. Hiding a menu is a convenience; the server checks every request. */
export function MainMenu() {
  const { role } = useCurrentUser();
  return (
    <Group gap={4} wrap="nowrap" component="nav" aria-label="Main menu">
      <NavMenu
        label="Communications"
        section="Quick navigation"
        testId="menu-communications"
        items={[
          {
            label: 'Call Center',
            to: '/call-center',
            icon: <IconHeadset size={16} />,
            testId: 'menu-call-center',
          },
        ]}
      />
      {canAccess(role, 'manager') && (
        <NavMenu
          label="Manager"
          section="Manage the call center"
          testId="menu-manager"
          items={[
            {
              label: 'Overview',
              to: '/manager',
              icon: <IconLayoutDashboard size={16} />,
              testId: 'menu-manager-overview',
            },
          ]}
        />
      )}
      {canAccess(role, 'admin') && (
        <NavMenu
          label="Admin"
          section="Administration"
          testId="menu-admin"
          items={[
            {
              label: 'Settings',
              to: '/admin',
              icon: <IconSettings size={16} />,
              testId: 'menu-admin-settings',
            },
          ]}
        />
      )}
    </Group>
  );
}
