/**
 * The synthesized template's policies against what each function declares it does (infra/permissions.ts).
 * The expected grants are derived from the declarations here, by this file's own reading of them, not by
 * the stack's code (infra/constructs/function-policy.ts): every action on every resource under every
 * condition is one grant, and the template's grants and the declared ones are compared both ways, so a
 * grant beyond the declarations and a declared need left ungranted both fail.
 */
import { Match } from 'aws-cdk-lib/assertions';
import { webhookSecretNamePattern } from '../../infra/constructs/function-policy';
import {
  type FunctionPermissions,
  functionPermissions,
  type ItemAccess,
  type QueueAccess,
} from '../../infra/permissions';
import { type FunctionName, functionNames } from '../../infra/routes';
import { webhookSecretName } from '../../shared/config';
import { clearentSecretName } from '../../shared/secrets/clearent-credentials';
import { keys, partitionPrefixes } from '../../shared/store/keys';
import { logicalIdOf, type Synthesized, synthesize } from './synth';

type Permissions = Readonly<Record<FunctionName, FunctionPermissions>>;

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

/** One action on one resource under one condition, written as comparable text. */
type Grant = string;

const listOf = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

/** JSON with object keys sorted, so that equal conditions compare equal. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).sort(([a], [b]) => a.localeCompare(b));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonical(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

const grant = (action: string, resource: unknown, condition?: unknown): Grant =>
  `${action} on ${canonical(resource)}${condition === undefined ? '' : ` if ${canonical(condition)}`}`;

const statementsOf = (synthesized: Synthesized, name: FunctionName): Statement[] => {
  const resources = synthesized.template.toJSON().Resources;
  const policy = resources[logicalIdOf(synthesized.stack, synthesized.stack.functions.policyOf(name))];
  if (policy === undefined) throw new Error(`no policy for ${name}`);
  return (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement;
};

/** Every grant of the function's policy in the template. */
function grantedIn(synthesized: Synthesized, name: FunctionName): Grant[] {
  return statementsOf(synthesized, name).flatMap((statement) => {
    if (statement.Effect !== 'Allow') throw new Error(`${name}: a statement that is not Allow`);
    return listOf(statement.Action).flatMap((action) =>
      listOf(statement.Resource).map((resource) => grant(action, resource, statement.Condition)),
    );
  });
}

/** The template's references to the stack's resources, as they appear in policies. */
function referencesOf(synthesized: Synthesized) {
  const { stack } = synthesized;
  const arn = (construct: { node: { defaultChild?: unknown } }, attribute = 'Arn') => ({
    'Fn::GetAtt': [logicalIdOf(stack, construct), attribute],
  });
  const secretPattern = (name: string) => ({
    'Fn::Join': [
      '',
      [
        'arn:',
        { Ref: 'AWS::Partition' },
        ':secretsmanager:us-east-1:',
        { Ref: 'AWS::AccountId' },
        `:secret:${name}`,
      ],
    ],
  });
  const table = arn(stack.data.table);
  return {
    table,
    index: (name: string) => ({ 'Fn::Join': ['', [table, `/index/${name}`]] }),
    stream: arn(stack.data.table, 'StreamArn'),
    tableKey: arn(stack.keys.table),
    storefrontSecretsKey: arn(stack.keys.storefrontSecrets),
    cursorSecretKey: arn(stack.keys.cursorSecret),
    cursorSecret: { Ref: logicalIdOf(stack, stack.cursorSecret.secret) },
    clearentSecrets: secretPattern('/payments/prod/storefronts/*/clearent-??????'),
    webhookSecrets: secretPattern('/payments/prod/storefronts/*/webhooks/we_*'),
    chargeQueue: arn(stack.queues.charges),
    webhookQueue: arn(stack.webhookQueues.deliveries),
    relayFailures: arn(stack.webhookQueues.relayFailures),
    logGroup: (name: FunctionName) => arn(stack.functions.get(name).logGroup),
  };
}

const via = (service: string) => ({
  StringEquals: { 'kms:ViaService': `${service}.us-east-1.amazonaws.com` },
});
const consumeActions = [
  'sqs:ReceiveMessage',
  'sqs:DeleteMessage',
  'sqs:ChangeMessageVisibility',
  'sqs:GetQueueAttributes',
  'sqs:GetQueueUrl',
];
const streamActions = [
  'dynamodb:DescribeStream',
  'dynamodb:GetRecords',
  'dynamodb:GetShardIterator',
  'dynamodb:ListStreams',
];

/** The grants a declaration asks for, read from infra/permissions.ts's words. */
function declaredGrants(
  synthesized: Synthesized,
  name: FunctionName,
  declared: FunctionPermissions,
): Grant[] {
  const refs = referencesOf(synthesized);
  const queue = (access: QueueAccess, arn: unknown) =>
    (access === 'send' ? ['sqs:SendMessage'] : consumeActions).map((action) => grant(action, arn));
  // "Takes a token from its storefront's request budget": an update of that storefront's rate bucket only.
  const rateBucket: ItemAccess = {
    actions: ['UpdateItem'],
    partitionKeys: [`${partitionPrefixes.rateBucket}*`],
  };
  const items = [...declared.items, ...(declared.storefrontRateLimit ? [rateBucket] : [])];
  const writes = items.some((access) => access.actions.some((action) => action !== 'GetItem'));
  const usesTable = items.length > 0 || declared.queries.length > 0;
  return [
    grant('logs:CreateLogStream', refs.logGroup(name)),
    grant('logs:PutLogEvents', refs.logGroup(name)),
    grant('xray:PutTraceSegments', '*'),
    grant('xray:PutTelemetryRecords', '*'),
    ...items.flatMap((access) =>
      access.actions.map((action) =>
        grant(
          `dynamodb:${action}`,
          refs.table,
          access.partitionKeys && {
            'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': access.partitionKeys },
          },
        ),
      ),
    ),
    ...declared.queries.map((target) =>
      grant('dynamodb:Query', target === 'table' ? refs.table : refs.index(target)),
    ),
    ...(usesTable
      ? ['kms:Decrypt', 'kms:DescribeKey', ...(writes ? ['kms:Encrypt', 'kms:GenerateDataKey'] : [])].map(
          (action) => grant(action, refs.tableKey, via('dynamodb')),
        )
      : []),
    ...(declared.gatewayCredentials
      ? [
          grant('secretsmanager:GetSecretValue', refs.clearentSecrets),
          grant('kms:Decrypt', refs.storefrontSecretsKey, via('secretsmanager')),
        ]
      : []),
    ...(declared.cursorSecret
      ? [
          grant('secretsmanager:GetSecretValue', refs.cursorSecret),
          grant('kms:Decrypt', refs.cursorSecretKey, via('secretsmanager')),
        ]
      : []),
    ...(declared.recurringQueue ? queue(declared.recurringQueue, refs.chargeQueue) : []),
    ...(declared.webhookQueue ?? []).flatMap((access) => queue(access, refs.webhookQueue)),
    ...(declared.tableStream
      ? [
          ...streamActions.map((action) => grant(action, refs.stream)),
          grant('sqs:SendMessage', refs.relayFailures),
        ]
      : []),
    ...(declared.webhookSecrets === 'manage'
      ? [
          grant('secretsmanager:CreateSecret', refs.webhookSecrets, {
            StringLike: { 'secretsmanager:Name': '/payments/prod/storefronts/*/webhooks/we_*' },
          }),
          grant('secretsmanager:DeleteSecret', refs.webhookSecrets),
        ]
      : []),
    ...(declared.webhookSecrets ? [grant('secretsmanager:GetSecretValue', refs.webhookSecrets)] : []),
  ];
}

interface Difference {
  /** Granted by the template, not declared. */
  beyond: Grant[];
  /** Declared, not granted. */
  missing: Grant[];
}

/** Every function's template grants against its declared ones, both ways; only functions that differ. */
function compare(
  synthesized: Synthesized,
  declarations: Permissions,
): Partial<Record<FunctionName, Difference>> {
  const differences: Partial<Record<FunctionName, Difference>> = {};
  for (const name of functionNames) {
    const granted = new Set(grantedIn(synthesized, name));
    const declared = new Set(declaredGrants(synthesized, name, declarations[name]));
    const beyond = [...granted].filter((item) => !declared.has(item)).sort();
    const missing = [...declared].filter((item) => !granted.has(item)).sort();
    if (beyond.length > 0 || missing.length > 0) differences[name] = { beyond, missing };
  }
  return differences;
}

/** The declarations with one function's changed. */
const changed = (name: FunctionName, change: Partial<FunctionPermissions>): Permissions => ({
  ...functionPermissions,
  [name]: { ...functionPermissions[name], ...change },
});

describe('Function permissions (prod stack)', () => {
  let synthesized: Synthesized;

  beforeAll(() => {
    synthesized = synthesize('prod');
  });

  describe('the template against the declarations', () => {
    it('grants every function exactly what it declares: nothing beyond, nothing missing', () => {
      // Act
      const differences = compare(synthesized, functionPermissions);

      // Assess
      expect(differences).toEqual({});
    });

    it('reports one item action more than declared', () => {
      // Prepare: refund deletes items in the stack, but its declaration does not say so
      const granted = synthesize('prod', {
        permissions: changed('refund', {
          items: [{ actions: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem'] }],
        }),
      });

      // Act
      const differences = compare(granted, functionPermissions);

      // Assess
      expect(differences).toEqual({
        refund: { beyond: [grant('dynamodb:DeleteItem', referencesOf(granted).table)], missing: [] },
      });
    });

    it('reports a Query of one index more than declared, and a partition condition dropped', () => {
      // Prepare
      const granted = synthesize('prod', {
        permissions: {
          ...changed('token-sale', { queries: ['byCustomer'] }),
          authorizer: { ...functionPermissions.authorizer, items: [{ actions: ['GetItem'] }] },
        },
      });
      const refs = referencesOf(granted);

      // Act
      const differences = compare(granted, functionPermissions);

      // Assess
      expect(differences['token-sale']).toEqual({
        beyond: [grant('dynamodb:Query', refs.index('byCustomer'))],
        missing: [],
      });
      expect(differences.authorizer?.beyond).toEqual([grant('dynamodb:GetItem', refs.table)]);
      expect(Object.keys(differences).sort()).toEqual(['authorizer', 'token-sale']);
    });

    it('reports a declared need the stack does not grant', () => {
      // Prepare: the stack built from declarations where events cannot read its cursor secret
      const granted = synthesize('prod', { permissions: changed('events', { cursorSecret: false }) });
      const refs = referencesOf(granted);

      // Act
      const differences = compare(granted, functionPermissions);

      // Assess
      expect(differences).toEqual({
        events: {
          beyond: [],
          missing: [
            grant('kms:Decrypt', refs.cursorSecretKey, via('secretsmanager')),
            grant('secretsmanager:GetSecretValue', refs.cursorSecret),
          ].sort(),
        },
      });
    });
  });

  describe('what the declarations say', () => {
    it('lets the authorizer read API-key items only: GetItem, conditioned on their partition', () => {
      // Prepare
      const matchesPattern = (pattern: string, key: string) =>
        key.startsWith(pattern.replace(/\*$/, '')) && pattern.endsWith('*');
      const tableArn = referencesOf(synthesized).table;

      // Act
      const dynamo = statementsOf(synthesized, 'authorizer').filter((statement) =>
        listOf(statement.Action).some((action) => action.startsWith('dynamodb:')),
      );

      // Assess
      expect(dynamo).toEqual([
        {
          Effect: 'Allow',
          Action: 'dynamodb:GetItem',
          Resource: tableArn,
          Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['APIKEY#*'] } },
        },
      ]);
      expect(matchesPattern('APIKEY#*', keys.apiKeyHash('0f1e2d').pk)).toBe(true);
      for (const other of [
        keys.storefront('acme'),
        keys.storefrontApiKey('acme', 'key_1'),
        keys.transaction('acme', 'txn_1'),
      ]) {
        expect(matchesPattern('APIKEY#*', other.pk)).toBe(false);
      }
    });

    it('gives Query only to functions that list, on the table or indexes by name, never on every index', () => {
      for (const name of functionNames) {
        // Act
        const queries = statementsOf(synthesized, name).filter((statement) =>
          listOf(statement.Action).includes('dynamodb:Query'),
        );

        // Assess
        const resources = queries
          .flatMap((statement) => listOf(statement.Resource))
          .map((resource) => canonical(resource));
        expect(resources.some((resource) => resource.includes('index/*'))).toBe(false);
        expect(resources).toHaveLength(functionPermissions[name].queries.length);
      }
      const neverQuery: FunctionName[] = [
        'authorizer',
        'jwt-sale',
        'token-sale',
        'refund',
        'recurring-worker',
        'webhook-delivery',
      ];
      for (const name of neverQuery) expect(functionPermissions[name].queries).toEqual([]);
    });

    it('lets the read-only API functions write their storefront rate bucket and nothing else', () => {
      for (const name of ['transactions', 'events'] as const) {
        // Act
        const writes = statementsOf(synthesized, name).filter((statement) =>
          listOf(statement.Action).some((action) => /^dynamodb:(Put|Update|Delete)Item$/.test(action)),
        );

        // Assess
        expect(writes).toEqual([
          {
            Effect: 'Allow',
            Action: 'dynamodb:UpdateItem',
            Resource: referencesOf(synthesized).table,
            Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['RATE#*'] } },
          },
        ]);
      }
      expect(keys.rateBucket('acme', 0).pk).toBe('RATE#acme');
    });

    it('keeps webhook and Clearent secret patterns apart: neither matches the other kind of secret', () => {
      // Prepare: IAM wildcards, `*` any run of characters and `?` one character; ARNs end in a 6-character suffix
      const matches = (pattern: string, name: string): boolean =>
        new RegExp(
          `^${pattern
            .replace(/[.+^${}()|[\]\\/]/g, '\\$&')
            .replace(/\*/g, '.*')
            .replace(/\?/g, '.')}$`,
        ).test(name);
      const prefix = '/payments/prod/storefronts/';
      const saved = { ...process.env };
      process.env.CLEARENT_SECRET_PREFIX = prefix;
      let webhook: string;
      try {
        webhook = `${webhookSecretName('acme', 'we_6Wq1P0b3tJx8VJbD2cT9Lr')}-AbC123`;
      } finally {
        process.env = saved;
      }
      const clearent = `${clearentSecretName(prefix, 'acme')}-AbC123`;
      const webhookPattern = webhookSecretNamePattern(prefix);
      const clearentPattern = `${prefix}*/clearent-??????`;

      // Act & Assess
      expect(matches(webhookPattern, webhook)).toBe(true);
      expect(matches(webhookPattern, clearent)).toBe(false);
      expect(matches(clearentPattern, clearent)).toBe(true);
      expect(matches(clearentPattern, webhook)).toBe(false);
      expect(matches(webhookPattern, webhook.replace('/prod/', '/dev/'))).toBe(false);
      const refs = referencesOf(synthesized);
      expect(canonical(refs.webhookSecrets)).toContain(webhookPattern);
      expect(canonical(refs.clearentSecrets)).toContain(clearentPattern);
    });
  });

  describe('the whole template', () => {
    it('grants no wildcard action, and "*" as a resource only to X-Ray', () => {
      // Act
      const statements = functionNames.flatMap((name) => statementsOf(synthesized, name));
      const actions = statements.flatMap((statement) => listOf(statement.Action));

      // Assess
      expect(actions.filter((action) => action.includes('*'))).toEqual([]);
      const onEverything = statements.filter((statement) => listOf(statement.Resource).includes('*'));
      expect(
        onEverything
          .flatMap((statement) => listOf(statement.Action))
          .every((action) => action.startsWith('xray:')),
      ).toBe(true);
    });

    it('attaches no inline policy and no AWS managed policy to any role', () => {
      // Act & Assess
      synthesized.template.resourceCountIs('AWS::IAM::Policy', 0);
      synthesized.template.allResourcesProperties('AWS::IAM::Role', {
        Policies: Match.absent(),
        ManagedPolicyArns: Match.absent(),
      });
    });
  });
});
