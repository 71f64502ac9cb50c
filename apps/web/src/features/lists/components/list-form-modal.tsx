import { createListBodySchema, updateListBodySchema } from '@engage/contracts';
import type { ListDetails } from '@engage/contracts';
import { Button, Group, Modal, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useNavigate } from 'react-router';
import { validateWithSchema } from '../../../lib/form-validation';
import { useCreateList, useUpdateList } from '../api/lists-api';
import { showServerError } from '../../../lib/form-errors';

const FIELDS = ['name', 'description'] as const;

/** Create a list, or rename one and change its description. */
export function ListFormModal({
  list,
  opened,
  onClose,
}: {
  list: Pick<ListDetails, 'id' | 'name' | 'description'> | null;
  opened: boolean;
  onClose: () => void;
}) {
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={<Text fw={650}>{list ? `Rename ${list.name}` : 'New list'}</Text>}
      centered
    >
      {opened && <ListForm list={list} onDone={onClose} />}
    </Modal>
  );
}

function ListForm({
  list,
  onDone,
}: {
  list: Pick<ListDetails, 'id' | 'name' | 'description'> | null;
  onDone: () => void;
}) {
  const create = useCreateList();
  const navigate = useNavigate();
  const update = useUpdateList(list?.id ?? 0);
  const form = useForm({
    mode: 'controlled',
    initialValues: { name: list?.name ?? '', description: list?.description ?? '' },
    validate: validateWithSchema(list === null ? createListBodySchema : updateListBodySchema),
  });
  const submit = form.onSubmit((values) => {
    const body = { name: values.name.trim(), description: values.description.trim() };
    const onError = (error: unknown) => showServerError(form, FIELDS, error);
    // A new list is empty: go on to its page with the import open.
    const created = (id: number) => {
      onDone();
      void navigate(`/manager/lists/${id}?import=1`);
    };
    if (list === null) create.mutate(body, { onSuccess: ({ id }) => created(id), onError });
    else update.mutate(body, { onSuccess: onDone, onError });
  });
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md" data-testid="list-form">
        <TextInput
          {...form.getInputProps('name')}
          label="Name"
          withAsterisk
          data-autofocus
          placeholder="e.g. Spring appeal 2026, lapsed donors"
          data-testid="list-name"
        />
        <Textarea
          {...form.getInputProps('description')}
          label="Description"
          autosize
          minRows={2}
          maxRows={6}
          data-testid="list-description"
        />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={create.isPending || update.isPending} data-testid="list-save">
            {list ? 'Save' : 'Create list'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
