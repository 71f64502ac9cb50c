import { Button, Menu } from '@mantine/core';
import { IconChevronDown } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { Link, useLocation } from 'react-router';

export interface NavMenuItem {
  label: string;
  to: string;
  icon: ReactNode;
  testId: string;
}

interface NavMenuProps {
  label: string;
  /** Heading inside the dropdown. */
  section: string;
  items: readonly NavMenuItem[];
  testId: string;
}

function isUnder(pathname: string, to: string): boolean {
  return pathname === to || pathname.startsWith(`${to}/`);
}

/** One entry of the top menu bar: a button that opens a list of pages. */
export function NavMenu({ label, section, items, testId }: NavMenuProps) {
  const { pathname } = useLocation();
  const active = items.some((item) => isUnder(pathname, item.to));
  return (
    <Menu position="bottom-start" width={220} shadow="md" offset={6}>
      <Menu.Target>
        <Button
          variant={active ? 'light' : 'subtle'}
          color={active ? undefined : 'gray'}
          rightSection={<IconChevronDown size={14} />}
          data-testid={testId}
          data-active={active || undefined}
        >
          {label}
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>{section}</Menu.Label>
        {items.map((item) => (
          <Menu.Item key={item.to} component={Link} to={item.to} leftSection={item.icon} data-testid={item.testId}>
            {item.label}
          </Menu.Item>
        ))}
      </Menu.Dropdown>
    </Menu>
  );
}
