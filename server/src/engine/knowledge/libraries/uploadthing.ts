import type { LibraryDescriptor } from '../types';

/** UploadThing: `new UTApi()` deletes and renames stored files; the upload router runs its own middleware. */
export const uploadthing: LibraryDescriptor = {
  id: 'uploadthing',
  name: 'UploadThing, Vercel Blob',
  category: 'sdk',
  packages: ['uploadthing/server', 'uploadthing', '@vercel/blob'],
  exports: {
    put: { effect: 'storage-write' },
    del: { effect: 'storage-write' },
    copy: { effect: 'storage-write' },
    list: { effect: 'storage-read' },
    head: { effect: 'storage-read' },
  },
  clientFactories: ['UTApi'],
  members: [
    { path: /^(deleteFiles|uploadFiles|uploadFilesFromUrl|renameFiles|updateACL)$/, effect: 'storage-write' },
    { path: /^(listFiles|getFileUrls|getSignedURL|getUsageInfo)$/, effect: 'storage-read' },
  ],
  privileged: true,
  examples: [
    { code: `import { UTApi } from 'uploadthing/server';\nconst utapi = new UTApi();\nexport async function a(key: string) { await utapi.deleteFiles(key); // <-\n}`, expect: 'storage-write' },
    { code: `import { del } from '@vercel/blob';\nexport async function a(url: string) { await del(url); // <-\n}`, expect: 'storage-write' },
  ],
};
