import type { LibraryDescriptor } from '../types';

/** Twilio (and Vonage): SMS, calls and verification codes cost money per message. */
export const twilio: LibraryDescriptor = {
  id: 'twilio',
  name: 'Twilio / Vonage',
  category: 'sdk',
  packages: ['twilio', '@vonage/server-sdk'],
  clientFactories: ['default', 'Twilio', 'Vonage'],
  members: [
    { path: /(^|\.)(messages|calls|verifications)\.create$/, effect: 'sms' },
    { path: /(^|\.)sms\.send$/, effect: 'sms' },
    { path: /\.(create|update|remove)$/, effect: 'external-write' },
  ],
  privileged: true,
  examples: [
    { code: `import twilio from 'twilio';\nconst client = twilio('s', 't');\nexport async function a(to: string) { await client.messages.create({ to, from: 'x', body: 'hi' }); // <-\n}`, expect: 'sms' },
  ],
};
