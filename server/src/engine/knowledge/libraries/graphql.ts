import type { LibraryDescriptor } from '../types';

/** GraphQL clients (graphql-request, Apollo, urql; Hasura behind them): a document with `mutation` writes. */
export const graphql: LibraryDescriptor = {
  id: 'graphql',
  name: 'GraphQL clients (graphql-request, Apollo Client, urql)',
  category: 'database',
  packages: ['graphql-request', '@apollo/client', '@apollo/client/*', '@urql/core', 'urql', 'graphql-request/*'],
  exports: {
    request: { effect: 'db-read', byText: 'graphql' },
    rawRequest: { effect: 'db-read', byText: 'graphql' },
  },
  clientFactories: ['GraphQLClient', 'ApolloClient', 'Client', 'createClient'],
  members: [
    { path: /^mutate$/, effect: 'external-write' },
    { path: /^mutation(\.|$)/, effect: 'external-write' },
    { path: /^(request|rawRequest)$/, effect: 'db-read', byText: 'graphql' },
    { path: /^query(\.|$)/, effect: 'db-read' },
  ],
  examples: [
    { code: `import { GraphQLClient } from 'graphql-request';\nconst c = new GraphQLClient('u');\nexport async function a(id: string) { await c.request(\`mutation { deletePost(id: "\${id}") { id } }\`); // <-\n}`, expect: 'external-write' },
  ],
};
