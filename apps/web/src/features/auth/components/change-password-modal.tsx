import { Modal, Text } from '@mantine/core';
import { ChangePasswordForm } from './change-password-form';

/** The user menu's "Change password". Their other sessions end; this one goes on. */
export function ChangePasswordModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  return (
    <Modal opened={opened} onClose={onClose} title={<Text fw={650}>Change your password</Text>} centered>
      {/* Mounted per opening, so the form starts empty. */}
      {opened && <ChangePasswordForm submitLabel="Change password" onDone={onClose} onCancel={onClose} />}
    </Modal>
  );
}
