import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  errorResponseSchema,
  importListSchema,
  importSchema,
  listDetailsSchema,
  listListSchema,
  listMemberPageSchema,
  uploadedImportSchema,
} from '@engage/contracts';
import type {
  CreateListBody,
  CreateListFromSearchBody,
  Import,
  ListDetails,
  StartImportBody,
  UpdateListBody,
  UploadedImport,
} from '@engage/contracts';
import { api } from '../../../lib/api';
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
    queryFn: async ({ signal }) => (await api('GET', '/api/lists', undefined, listListSchema, { signal })).lists,
  });
}

export function useList(id: number) {
  return useQuery({
    queryKey: listsKeys.list(id),
    queryFn: ({ signal }) => api('GET', `/api/lists/${id}`, undefined, listDetailsSchema, { signal }),
  });
}

export function useListMembers(id: number, page: number, pageSize: number) {
  return useQuery({
    queryKey: listsKeys.members(id, page, pageSize),
    queryFn: ({ signal }) =>
      api('GET', `/api/lists/${id}/members?page=${page}&pageSize=${pageSize}`, undefined, listMemberPageSchema, {
        signal,
      }),
    placeholderData: keepPreviousData,
  });
}

export function useListImports(id: number) {
  return useQuery({
    queryKey: listsKeys.imports(id),
    queryFn: async ({ signal }) =>
      (await api('GET', `/api/lists/${id}/imports`, undefined, importListSchema, { signal })).imports,
    // No polling: an import.changed event (lib/live-events.ts) re-reads it as imports change.
  });
}

/** An import (the progress bar): re-read on each import.changed event, once a batch while it runs. */
export function useImport(id: number | null) {
  return useQuery({
    queryKey: listsKeys.import(id ?? 0),
    queryFn: ({ signal }) => api('GET', `/api/imports/${id}`, undefined, importSchema, { signal }),
    enabled: id !== null,
    staleTime: 0,
  });
}

export function useCreateList() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateListBody) => api('POST', '/api/lists', body, listDetailsSchema),
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
    mutationFn: (body: UpdateListBody) => api('PATCH', `/api/lists/${id}`, body, listDetailsSchema),
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
    mutationFn: (body: CreateListFromSearchBody) => api('POST', '/api/lists/from-search', body, listDetailsSchema),
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
      api('POST', `/api/imports/${importId}/start`, body, importSchema),
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
  return api('GET', `/api/imports/${importId}/preview`, undefined, uploadedImportSchema);
}

/** Deletes an upload never started (its file and its row). */
export function useDeleteImport(listId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (imp: Import) => api('DELETE', `/api/imports/${imp.id}`, {}),
    meta: { handlesErrors: true },
    onSuccess: async (_data, imp) => {
      notifySuccess(`Upload of ${imp.fileName} deleted`);
      await queryClient.invalidateQueries({ queryKey: listsKeys.imports(listId) });
    },
  });
}

const NETWORK_ERROR = 'Cannot reach the server. Check your connection and try again.';

/**
 * Uploads a CSV file into a list as multipart/form-data, reporting the upload's progress (0 to 1).
 * XMLHttpRequest, not fetch: only it reports upload progress. Errors are ApiErrors like api()'s.
 */
export function uploadImport(
  listId: number,
  file: File,
  onProgress: (fraction: number) => void,
  signal?: AbortSignal,
): Promise<UploadedImport> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/lists/${listId}/imports`);
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
        const parsed = uploadedImportSchema.safeParse(data);
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
    form.append('file', file, file.name);
    xhr.send(form);
  });
}
