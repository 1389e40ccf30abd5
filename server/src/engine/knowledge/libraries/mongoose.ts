import type { LibraryDescriptor } from '../types';

/** Mongoose models (`models.User || model('User', schema)`) and the MongoDB driver (`client.db().collection(c)`). */
export const mongoose: LibraryDescriptor = {
  id: 'mongoose',
  name: 'Mongoose / MongoDB',
  category: 'database',
  packages: ['mongoose', 'mongodb'],
  clientFactories: ['model', 'models', 'default', 'connect', 'createConnection', 'MongoClient'],
  members: [
    {
      path: /(^|\.)(create|insertMany|insertOne|updateOne|updateMany|replaceOne|deleteOne|deleteMany|findOneAndUpdate|findOneAndDelete|findOneAndReplace|findByIdAndUpdate|findByIdAndDelete|findByIdAndRemove|bulkWrite|save|remove)$/,
      effect: 'db-write',
    },
    { path: /(^|\.)(find|findOne|findById|countDocuments|estimatedDocumentCount|aggregate|distinct|exists|populate)(\.|$)/, effect: 'db-read' },
  ],
  privileged: true,
  examples: [
    { code: `import mongoose from 'mongoose';\nconst User = mongoose.model('User', new mongoose.Schema({}));\nexport async function a(id: string) { await User.findByIdAndDelete(id); // <-\n}`, expect: 'db-write' },
  ],
};
