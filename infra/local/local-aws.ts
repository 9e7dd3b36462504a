/**
 * The fixed identity of the local "AWS": one region, one account, and credentials that are obviously
 * fake, so the SDK signs requests to the local endpoints and nothing real can be reached with them.
 */

export const localRegion = 'us-east-1';

export const localAccountId = '000000000000';

export const localCredentials = {
  accessKeyId: 'AKIDLOCALNOTREAL',
  secretAccessKey: 'local_secret_access_key_not_secret',
} as const;
