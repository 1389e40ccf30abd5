import type { CallKnowledge, LibraryDescriptor } from '../types';

const byCommand = (arg: number): CallKnowledge => ({
  commands: {
    arg,
    write: /^(Put|Delete|Copy|CreateMultipartUpload|UploadPart|CompleteMultipartUpload|AbortMultipartUpload|Restore|PutObjectAcl|PutObjectTagging|DeleteObjects)\w*Command$/,
    writeEffect: 'storage-write',
    readEffect: 'storage-read',
  },
});

/** AWS S3 (and S3-compatible storage: R2, MinIO): `client.send(new XCommand(…))`, presigned URLs, `Upload`. */
export const awsS3: LibraryDescriptor = {
  id: 'aws-s3',
  name: 'AWS S3',
  category: 'sdk',
  packages: ['@aws-sdk/client-s3', '@aws-sdk/s3-request-presigner', '@aws-sdk/lib-storage', '@aws-sdk/s3-presigned-post'],
  exports: {
    getSignedUrl: byCommand(1),
    createPresignedPost: { effect: 'storage-write' },
    Upload: { effect: 'storage-write' },
  },
  clientFactories: ['S3Client', 'S3'],
  members: [
    { path: /^send$/, ...byCommand(0) },
    { path: /^(putObject|deleteObject|deleteObjects|copyObject|upload)$/, effect: 'storage-write' },
    { path: /^(getObject|listObjects\w*|headObject)$/, effect: 'storage-read' },
  ],
  privileged: true,
  examples: [
    {
      code: `import { S3Client, DeleteObjectCommand } from '@aws-sdk/client-s3';\nconst s3 = new S3Client({});\nexport async function a(key: string) { await s3.send(new DeleteObjectCommand({ Bucket: 'b', Key: key })); // <-\n}`,
      expect: 'storage-write',
    },
    {
      code: `import { S3Client, GetObjectCommand } from '@aws-sdk/client-s3';\nimport { getSignedUrl } from '@aws-sdk/s3-request-presigner';\nconst s3 = new S3Client({});\nexport async function a(key: string) { return getSignedUrl(s3, new GetObjectCommand({ Bucket: 'b', Key: key })); // <-\n}`,
      expect: 'storage-read',
    },
  ],
};
