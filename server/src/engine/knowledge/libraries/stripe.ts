import type { LibraryDescriptor } from '../types';

/** Stripe: charges and subscriptions move money; checkout and portal sessions act on a customer; reads return billing data. */
export const stripe: LibraryDescriptor = {
  id: 'stripe',
  name: 'Stripe',
  category: 'sdk',
  packages: ['stripe'],
  clientFactories: ['default', 'Stripe'],
  members: [
    { path: /^webhooks\./ },
    // The price list and product catalogue are public.
    { path: /^(prices|products|plans|coupons|promotionCodes|taxRates|shippingRates)\.(retrieve|list|search)$/ },
    { path: /^(paymentIntents|charges|refunds|transfers|payouts|invoices|subscriptions|subscriptionItems|setupIntents|paymentMethods)\.(create|confirm|capture|pay|update|cancel|del|attach|finalizeInvoice|resume)$/, effect: 'payment' },
    { path: /\.(retrieve|list|search|retrieveUpcoming|listLineItems|createPreview)$/, effect: 'billing-read' },
    { path: /\.(create|update|del|cancel|expire|attach|detach)$/, effect: 'external-write' },
  ],
  privileged: true,
  examples: [
    { code: `import Stripe from 'stripe';\nconst stripe = new Stripe('k');\nexport async function a(c: string) { return stripe.billingPortal.sessions.create({ customer: c }); // <-\n}`, expect: 'external-write' },
    { code: `import Stripe from 'stripe';\nconst stripe = new Stripe('k');\nexport async function a(c: string) { await stripe.paymentIntents.create({ amount: 1, currency: 'usd', customer: c }); // <-\n}`, expect: 'payment' },
    { code: `import Stripe from 'stripe';\nconst stripe = new Stripe('k');\nexport async function a(c: string) { return stripe.invoices.list({ customer: c }); // <-\n}`, expect: 'billing-read' },
  ],
};
