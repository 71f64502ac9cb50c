import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiOperations, errorResponseSchema, operationPath } from '@engage/contracts';
import type {
  CreateListBody,
  CreateListFromSearchBody,
  Import,
  ListDetails,
  StartImportBody,
  UpdateListBody,
  UploadedImport,
} from '@engage/contracts';
import { apiCall } from '../../../lib/api';
import { ApiError } from '../../../lib/api-error';
import { notifySuccess } from '../../../lib/notify';

/** Query keys of lists; every key starts with 'lists' (campaign changes invalidate them all). */
export const listsKeys = {
  all: ['lists'] as const,
  list: (id: number) => ['lists', id] as const,
  members: (id: number, page: number, pageSize: number) => ['lists', id, 'members', page, pageSize] as const,
  imports: (id: number) => ['lists', id, 'imports'] as const,
  import: (id: number) => ['lists', 'import', id] as const,
};

export function useLists() {
  return useQuery({
    queryKey: listsKeys.all,
    queryFn: async ({ signal }) => (await apiCall('listLists', {}, { signal })).lists,
  });
}

export function useList(id: number) {
  return useQuery({
    queryKey: listsKeys.list(id),
    queryFn: ({ signal }) => apiCall('getList', { params: { listId: id } }, { signal }),
  });
}

export function useListMembers(id: number, page: number, pageSize: number) {
  return useQuery({
    queryKey: listsKeys.members(id, page, pageSize),
    queryFn: ({ signal }) =>
      apiCall('listListMembers', { params: { listId: id }, query: { page, pageSize } }, { signal }),
    placeholderData: keepPreviousData,
  });
}

export function useListImports(id: number) {
  return useQuery({
    queryKey: listsKeys.imports(id),
    queryFn: async ({ signal }) => (await apiCall('listImports', { params: { listId: id } }, { signal })).imports,
    // No polling: an import.changed event (lib/live-events.ts) re-reads it as imports change.
  });
}

/** An import (the progress bar): re-read on each import.changed event, once a batch while it runs. */
export function useImport(id: number | null) {
  return useQuery({
    queryKey: listsKeys.import(id ?? 0),
    // Not run without an import (enabled), so `id ?? 0` is never sent.
    queryFn: ({ signal }) => apiCall('getImport', { params: { importId: id ?? 0 } }, { signal }),
    enabled: id !== null,
    staleTime: 0,
  });
}

export function useCreateList() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateListBody) => apiCall('createList', { body }),
    meta: { handlesErrors: true },
    onSuccess: async (list) => {
      notifySuccess(`List "${list.name}" created`);
      await queryClient.invalidateQueries({ queryKey: listsKeys.all });
    },
  });
}

export function useUpdateList(id: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: UpdateListBody) => apiCall('updateList', { params: { listId: id }, body }),
    meta: { handlesErrors: true },
    onSuccess: async (list: ListDetails) => {
      notifySuccess(`List "${list.name}" saved`);
      queryClient.setQueryData(listsKeys.list(id), list);
      await queryClient.invalidateQueries({ queryKey: listsKeys.all });
    },
  });
}

export function useCreateListFromSearch() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateListFromSearchBody) => apiCall('createListFromSearch', { body }),
    meta: { handlesErrors: true },
    onSuccess: async (list) => {
      notifySuccess(`List "${list.name}" created with ${list.donorCount.toLocaleString()} donors`);
      await queryClient.invalidateQueries({ queryKey: listsKeys.all });
    },
  });
}

export function useStartImport(listId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ importId, body }: { importId: number; body: StartImportBody }) =>
      apiCall('startImport', { params: { importId }, body }),
    meta: { handlesErrors: true },
    onSuccess: async (imp: Import) => {
      notifySuccess(`Import of ${imp.fileName} started`);
      queryClient.setQueryData(listsKeys.import(imp.id), imp);
      await queryClient.invalidateQueries({ queryKey: listsKeys.imports(listId) });
    },
  });
}

/** An upload not started (or a failed import) with its preview, to open the mapping step again. */
export function fetchImportPreview(importId: number): Promise<UploadedImport> {
  return apiCall('getImportPreview', { params: { importId } });
}

/** Deletes an upload never started (its file and its row). */
export function useDeleteImport(listId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (imp: Import) => apiCall('deleteImport', { params: { importId: imp.id } }),
    meta: { handlesErrors: true },
    onSuccess: async (_data, imp) => {
      notifySuccess(`Upload of ${imp.fileName} deleted`);
      await queryClient.invalidateQueries({ queryKey: listsKeys.imports(listId) });
    },
  });
}

const NETWORK_ERROR = 'Cannot reach the server. Check your connection and try again.';

/**
 * Uploads a CSV file into a list (operation importList) as multipart/form-data, reporting the
 * upload's progress (0 to 1). Not apiCall: that sends JSON through fetch, and fetch cannot report
 * an upload's progress (a 200 MB file takes a while); XMLHttpRequest can. The path, the part's
 * name and the answer's schema come from the operation. Errors are ApiErrors like apiCall's.
 */
export function uploadImport(
  listId: number,
  file: File,
  onProgress: (fraction: number) => void,
  signal?: AbortSignal,
): Promise<UploadedImport> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    const operation = apiOperations.importList;
    xhr.open(operation.method, operationPath(operation.path, { listId }));
    xhr.withCredentials = true;
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) onProgress(e.loaded / e.total);
    };
    xhr.onerror = () => reject(new ApiError({ code: 'network_error', message: NETWORK_ERROR, status: 0 }));
    xhr.onabort = () => reject(new DOMException('The upload was cancelled', 'AbortError'));
    xhr.onload = () => {
      const requestId = xhr.getResponseHeader('x-request-id') ?? undefined;
      let data: unknown;
      try {
        data = JSON.parse(xhr.responseText) as unknown;
      } catch {
        data = undefined;
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        const parsed = operation.response.safeParse(data);
        if (parsed.success) resolve(parsed.data);
        else {
          reject(
            new ApiError({
              code: 'invalid_response',
              message: 'The server sent an answer this page does not understand. Reload the page and try again.',
              status: xhr.status,
              requestId,
            }),
          );
        }
        return;
      }
      const error = errorResponseSchema.safeParse(data);
      reject(
        error.success
          ? new ApiError({ ...error.data, status: xhr.status })
          : new ApiError({
              code: xhr.status === 413 ? 'payload_too_large' : 'bad_request',
              message:
                xhr.status === 413
                  ? 'The file is too large to import. Split it into smaller files.'
                  : `The upload was refused (HTTP ${xhr.status}). Reload the page and try again.`,
              status: xhr.status,
              requestId,
            }),
      );
    };
    signal?.addEventListener('abort', () => xhr.abort());
    const form = new FormData();
    form.append(apiOperations.importList.upload, file, file.name);
    xhr.send(form);
  });
}
