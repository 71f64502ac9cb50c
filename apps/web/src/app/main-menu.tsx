import { Group } from '@mantine/core';
import {
  IconActivity,
  IconAddressBook,
  IconBuilding,
  IconCalendar,
  IconHeadset,
  IconList,
  IconPhoneCall,
  IconPhoneIncoming,
  IconServer,
  IconSettings,
  IconSpeakerphone,
  IconUsers,
  IconUsersGroup,
} from '@tabler/icons-react';
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
              label: 'Live floor',
              to: '/manager/floor',
              icon: <IconActivity size={16} />,
              testId: 'menu-manager-floor',
            },
            { label: 'Teams', to: '/manager/teams', icon: <IconUsersGroup size={16} />, testId: 'menu-manager-teams' },
            {
              label: 'Campaigns',
              to: '/manager/campaigns',
              icon: <IconSpeakerphone size={16} />,
              testId: 'menu-manager-campaigns',
            },
            { label: 'Lists', to: '/manager/lists', icon: <IconList size={16} />, testId: 'menu-manager-lists' },
            {
              label: 'Donors',
              to: '/manager/donors',
              icon: <IconAddressBook size={16} />,
              testId: 'menu-manager-donors',
            },
            { label: 'Calls', to: '/manager/calls', icon: <IconPhoneCall size={16} />, testId: 'menu-manager-calls' },
            {
              label: 'Appointments',
              to: '/manager/appointments',
              icon: <IconCalendar size={16} />,
              testId: 'menu-manager-appointments',
            },
            {
              label: 'Inbound lines',
              to: '/manager/inbound-lines',
              icon: <IconPhoneIncoming size={16} />,
              testId: 'menu-manager-inbound-lines',
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
            { label: 'Users', to: '/admin/users', icon: <IconUsers size={16} />, testId: 'menu-admin-users' },
            {
              label: 'Job roles and reasons',
              to: '/admin/settings',
              icon: <IconSettings size={16} />,
              testId: 'menu-admin-settings',
            },
            {
              label: 'Organisation',
              to: '/admin/organisation',
              icon: <IconBuilding size={16} />,
              testId: 'menu-admin-organisation',
            },
            {
              label: 'Phone systems',
              to: '/admin/phone-systems',
              icon: <IconServer size={16} />,
              testId: 'menu-admin-phone-systems',
            },
          ]}
        />
      )}
    </Group>
  );
}
