import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useState, type ReactNode } from 'react';

/** Asks before an action that matters (disable an account, retire a reason, finish a campaign). */
export function ConfirmModal({
  opened,
  title,
  children,
  confirmLabel,
  color = 'red',
  loading,
  onConfirm,
  onClose,
  testId = 'confirm',
}: {
  opened: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  color?: string;
  loading?: boolean;
  onConfirm: () => void;
  onClose: () => void;
  testId?: string;
}) {
  return (
    <Modal opened={opened} onClose={loading ? () => undefined : onClose} title={<Text fw={650}>{title}</Text>} centered>
      <Stack gap="lg" data-testid={`${testId}-modal`}>
        <Text size="sm">{children}</Text>
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose} disabled={loading}>
            Cancel
          </Button>
          <Button color={color} onClick={onConfirm} loading={loading} data-testid={`${testId}-confirm`}>
            {confirmLabel}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/**
 * What a confirmation is about, kept while the modal closes (so its text does not go blank
 * during the closing animation).
 */
export function useConfirmTarget<T>() {
  const [target, setTarget] = useState<T | null>(null);
  const [opened, setOpened] = useState(false);
  return {
    target,
    opened,
    ask: (t: T) => {
      setTarget(t);
      setOpened(true);
    },
    close: () => setOpened(false),
  };
}
