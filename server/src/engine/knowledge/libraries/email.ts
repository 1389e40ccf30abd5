import type { LibraryDescriptor } from '../types';

/** Email senders: Resend, nodemailer, SendGrid, Postmark, Loops, Plunk, Mailgun. */
export const email: LibraryDescriptor = {
  id: 'email',
  name: 'Email (Resend, nodemailer, SendGrid, Postmark, Mailgun, Loops)',
  category: 'sdk',
  packages: ['resend', 'nodemailer', '@sendgrid/mail', 'postmark', 'mailgun.js', 'loops', '@plunk/node', '@react-email/render'],
  exports: {
    render: {},
  },
  clientFactories: ['Resend', 'createTransport', 'ServerClient', 'Client', 'LoopsClient', 'default', 'Mailgun'],
  clientExports: ['default'],
  members: [
    { path: /^(emails\.(send|create)|batch\.(send|create)|sendMail|send|sendMultiple|sendEmail|sendEmailBatch|sendEmailWithTemplate|sendTransactionalEmail|messages\.create|sendEvent)$/, effect: 'email' },
    { path: /^(contacts|audiences|broadcasts|domains)\.(create|update|remove|delete|send)$/, effect: 'external-write' },
  ],
  privileged: true,
  examples: [
    { code: `import { Resend } from 'resend';\nconst resend = new Resend('k');\nexport async function a(to: string) { await resend.emails.send({ from: 'a@b.c', to, subject: 's', html: 'h' }); // <-\n}`, expect: 'email' },
    { code: `import nodemailer from 'nodemailer';\nconst t = nodemailer.createTransport({});\nexport async function a(to: string) { await t.sendMail({ to }); // <-\n}`, expect: 'email' },
  ],
};
