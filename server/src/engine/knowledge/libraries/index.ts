/** Every library descriptor, registered explicitly. Adding a library: one file here and one line below. */
import { ai } from './ai';
import { arktype } from './arktype';
import { awsS3 } from './aws-s3';
import { betterAuth } from './better-auth';
import { clerk } from './clerk';
import { drizzle } from './drizzle';
import { effectSchema } from './effect-schema';
import { email } from './email';
import { firebaseAdmin } from './firebase-admin';
import { graphql } from './graphql';
import { ironSession } from './iron-session';
import { keyValue } from './key-value';
import { kinde } from './kinde';
import { kysely } from './kysely';
import { lucia } from './lucia';
import { mongoose } from './mongoose';
import { next } from './next';
import { nextAuth } from './next-auth';
import { nodeSystem } from './node-system';
import { otherValidators } from './other-validators';
import { prisma } from './prisma';
import { rateLimits } from './rate-limits';
import { sqlDrivers } from './sql-drivers';
import { stripe } from './stripe';
import { supabase } from './supabase';
import { twilio } from './twilio';
import type { LibraryDescriptor } from '../types';
import { typebox } from './typebox';
import { uploadthing } from './uploadthing';
import { valibot } from './valibot';
import { workos } from './workos';
import { yup } from './yup';
import { zod } from './zod';

export const LIBRARIES: readonly LibraryDescriptor[] = [
  next,
  nextAuth,
  clerk,
  supabase,
  betterAuth,
  lucia,
  workos,
  kinde,
  ironSession,
  firebaseAdmin,
  prisma,
  drizzle,
  kysely,
  mongoose,
  sqlDrivers,
  keyValue,
  graphql,
  awsS3,
  uploadthing,
  stripe,
  email,
  ai,
  twilio,
  nodeSystem,
  zod,
  valibot,
  yup,
  arktype,
  typebox,
  effectSchema,
  otherValidators,
  rateLimits,
];
