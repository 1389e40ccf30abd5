import type { LibraryDescriptor } from '../types';

/** AI models: the AI SDK's generate/stream/embed calls, OpenAI, Anthropic, Google, Mistral, Groq, Replicate SDKs. */
export const ai: LibraryDescriptor = {
  id: 'ai',
  name: 'AI models (AI SDK, OpenAI, Anthropic, Google, Mistral, Groq, Replicate)',
  category: 'sdk',
  packages: ['ai', 'ai/*', 'openai', '@anthropic-ai/sdk', '@google/generative-ai', '@google/genai', '@mistralai/mistralai', 'groq-sdk', 'replicate', 'cohere-ai', '@ai-sdk/*', '@langchain/*', 'langchain', 'langchain/*'],
  exports: {
    generateText: { effect: 'ai' },
    streamText: { effect: 'ai' },
    generateObject: { effect: 'ai' },
    streamObject: { effect: 'ai' },
    embed: { effect: 'ai' },
    embedMany: { effect: 'ai' },
    generateImage: { effect: 'ai' },
    experimental_generateImage: { effect: 'ai' },
    experimental_transcribe: { effect: 'ai' },
    experimental_generateSpeech: { effect: 'ai' },
    streamUI: { effect: 'ai' },
  },
  clientFactories: ['OpenAI', 'AzureOpenAI', 'Anthropic', 'GoogleGenerativeAI', 'GoogleGenAI', 'Mistral', 'Groq', 'Replicate', 'CohereClient', 'default', 'ChatOpenAI', 'ChatAnthropic', 'OpenAIEmbeddings'],
  members: [
    { path: /(^|\.)(create|stream|parse|createAndPoll|createAndStream|generateContent|generateContentStream|embedContent|complete|chat|run|predict|invoke|batch|embedQuery|embedDocuments|sendMessage)$/, effect: 'ai' },
  ],
  privileged: true,
  // The UI packages and the SDK's transports and helpers run in the browser; the calls that spend (generate, stream,
  // embed) and the providers that hold keys do not.
  browserSafe: (exported, specifier) =>
    /^@ai-sdk\/(react|vue|svelte|solid|ui-utils|rsc)$/.test(specifier) ||
    (/^ai(\/|$)/.test(specifier) && exported !== '*' && exported !== 'default' && !/^(experimental_)?(generate|stream|embed|transcribe)/.test(exported)),
  examples: [
    { code: `import { generateText } from 'ai';\nexport async function a(prompt: string) { return generateText({ model: 'm' as never, prompt }); // <-\n}`, expect: 'ai' },
    { code: `import OpenAI from 'openai';\nconst openai = new OpenAI();\nexport async function a(p: string) { return openai.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: p }] }); // <-\n}`, expect: 'ai' },
    { code: `import { APICallError } from 'ai';\nexport async function a(e: unknown) { return APICallError.isInstance(e); // <-\n}`, expect: 'nothing' },
  ],
};
