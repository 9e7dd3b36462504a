import { Match } from 'aws-cdk-lib/assertions';
import { webhookSecretNamePattern } from '../../infra/constructs/function-policy';
import { functionPermissions } from '../../infra/permissions';
import { type FunctionName, functionNames } from '../../infra/routes';
import { webhookSecretName } from '../../shared/config';
import { clearentSecretName } from '../../shared/secrets/clearent-credentials';
import { tableIndexes } from '../../shared/store/table';
import { logicalIdOf, type Synthesized, synthesize } from './synth';

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

const actionsOf = (statement: Statement): string[] =>
  Array.isArray(statement.Action) ? statement.Action : [statement.Action];

const gatewayFunctions: FunctionName[] = [
  'jwt-sale',
  'token-sale',
  'refund',
  'cards',
  'recurring-worker',
  'reconciliation',
];
const listingFunctions: FunctionName[] = ['transactions', 'subscriptions', 'events'];
const webhookSecretReaders: FunctionName[] = ['webhook-endpoints', 'webhook-delivery'];
const streamActions = [
  'dynamodb:DescribeStream',
  'dynamodb:GetRecords',
  'dynamodb:GetShardIterator',
  'dynamodb:ListStreams',
];
const isStreamStatement = (statement: Statement): boolean =>
  actionsOf(statement).some((action) => streamActions.includes(action));

describe('Function permissions (prod stack)', () => {
  let synthesized: Synthesized;
  let resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
  const getAtt = (logicalId: string): unknown => ({ 'Fn::GetAtt': [logicalId, 'Arn'] });

  beforeAll(() => {
    synthesized = synthesize('prod');
    resources = synthesized.template.toJSON().Resources;
  });

  const statementsOf = (name: FunctionName): Statement[] => {
    const policy = resources[logicalIdOf(synthesized.stack, synthesized.stack.functions.policyOf(name))];
    if (policy === undefined) throw new Error(`no policy for ${name}`);
    return (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement;
  };
  const allStatements = (): Statement[] =>
    Object.values(resources)
      .filter((resource) => resource.Type === 'AWS::IAM::ManagedPolicy')
      .flatMap((resource) => (resource.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
  const tableArn = (): unknown => getAtt(logicalIdOf(synthesized.stack, synthesized.stack.data.table));
  const storefrontSecretPattern = {
    'Fn::Join': [
      '',
      [
        'arn:',
        { Ref: 'AWS::Partition' },
        ':secretsmanager:us-east-1:',
        { Ref: 'AWS::AccountId' },
        ':secret:/payments/prod/storefronts/*/clearent-??????',
      ],
    ],
  };
  const cursorSecretArn = (): unknown => ({
    Ref: logicalIdOf(synthesized.stack, synthesized.stack.cursorSecret.secret),
  });
  const webhookSecretPattern = {
    'Fn::Join': [
      '',
      [
        'arn:',
        { Ref: 'AWS::Partition' },
        ':secretsmanager:us-east-1:',
        { Ref: 'AWS::AccountId' },
        ':secret:/payments/prod/storefronts/*/webhooks/we_*',
      ],
    ],
  };
  const onWebhookSecrets = (statement: Statement): boolean =>
    JSON.stringify(statement.Resource) === JSON.stringify(webhookSecretPattern);

  it('gives each function exactly the DynamoDB actions it needs', () => {
    // Prepare
    const expected: Record<FunctionName, string[]> = {
      authorizer: ['GetItem'],
      health: [],
      'jwt-sale': ['GetItem', 'PutItem', 'Query', 'UpdateItem'],
      'token-sale': ['GetItem', 'PutItem', 'Query', 'UpdateItem'],
      refund: ['GetItem', 'PutItem', 'Query', 'UpdateItem'],
      transactions: ['GetItem', 'Query'],
      cards: ['GetItem', 'Query', 'UpdateItem'],
      subscriptions: ['GetItem', 'PutItem', 'Query', 'UpdateItem'],
      'recurring-selector': ['Query'],
      'recurring-worker': ['GetItem', 'PutItem', 'Query', 'UpdateItem'],
      reconciliation: ['GetItem', 'PutItem', 'Query', 'UpdateItem'],
      events: ['GetItem', 'Query'],
      'webhook-endpoints': ['DeleteItem', 'GetItem', 'PutItem', 'Query', 'UpdateItem'],
      'events-relay': ['GetItem', 'PutItem', 'Query', 'UpdateItem'],
      'webhook-sweep': ['GetItem', 'PutItem', 'Query', 'UpdateItem'],
      'webhook-delivery': ['GetItem', 'PutItem', 'UpdateItem'],
    };

    // Act
    const granted = Object.fromEntries(
      functionNames.map((name) => [
        name,
        statementsOf(name)
          .filter((statement) => !isStreamStatement(statement))
          .flatMap(actionsOf)
          .filter((action) => action.startsWith('dynamodb:'))
          .map((action) => action.replace('dynamodb:', ''))
          .sort(),
      ]),
    );

    // Assess
    expect(granted).toEqual(expected);
  });

  it('scopes item actions to the table and Query to the table and each index by name', () => {
    // Prepare
    const indexArns = tableIndexes.map((index) => ({
      'Fn::Join': ['', [tableArn(), `/index/${index.name}`]],
    }));

    for (const name of functionNames) {
      // Act
      const dynamo = statementsOf(name).filter(
        (statement) => actionsOf(statement)[0]?.startsWith('dynamodb:') && !isStreamStatement(statement),
      );

      // Assess
      for (const statement of dynamo) {
        const isQuery = actionsOf(statement).includes('dynamodb:Query');
        expect(statement.Resource).toEqual(isQuery ? [tableArn(), ...indexArns] : tableArn());
        if (isQuery) expect(actionsOf(statement)).toEqual(['dynamodb:Query']);
      }
    }
  });

  it('lets table users use the table key only through DynamoDB, and only writers encrypt', () => {
    // Prepare
    const keyArn = getAtt(logicalIdOf(synthesized.stack, synthesized.stack.keys.table));

    for (const name of functionNames) {
      // Act
      const tableKey = statementsOf(name).filter(
        (statement) => JSON.stringify(statement.Resource) === JSON.stringify(keyArn),
      );

      // Assess
      const usesTable = functionPermissions[name].table.length > 0;
      expect(tableKey).toHaveLength(usesTable ? 1 : 0);
      if (!usesTable) continue;
      expect(tableKey[0]?.Condition).toEqual({
        StringEquals: { 'kms:ViaService': 'dynamodb.us-east-1.amazonaws.com' },
      });
      const writes = functionPermissions[name].table.some(
        (action) => action !== 'GetItem' && action !== 'Query',
      );
      expect(actionsOf(tableKey[0] as Statement).includes('kms:GenerateDataKey')).toBe(writes);
    }
  });

  it('lets only the functions that call the gateway read Clearent secrets, on the stage path only', () => {
    for (const name of functionNames) {
      // Act
      const secretReads = statementsOf(name).filter(
        (statement) =>
          actionsOf(statement).some((action) => action.startsWith('secretsmanager:')) &&
          JSON.stringify(statement.Resource) !== JSON.stringify(cursorSecretArn()) &&
          !onWebhookSecrets(statement),
      );

      // Assess
      if (gatewayFunctions.includes(name)) {
        expect(secretReads).toEqual([
          { Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: storefrontSecretPattern },
        ]);
      } else {
        expect(secretReads).toEqual([]);
      }
    }
  });

  it('lets only the functions that list read the cursor secret, and its key only through Secrets Manager', () => {
    // Prepare
    const keyArn = getAtt(logicalIdOf(synthesized.stack, synthesized.stack.keys.cursorSecret));
    const onCursorSecret = (statement: Statement): boolean =>
      [JSON.stringify(cursorSecretArn()), JSON.stringify(keyArn)].includes(
        JSON.stringify(statement.Resource),
      );

    for (const name of functionNames) {
      // Act
      const cursor = statementsOf(name).filter(onCursorSecret);

      // Assess
      expect(cursor).toEqual(
        listingFunctions.includes(name)
          ? [
              { Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: cursorSecretArn() },
              {
                Effect: 'Allow',
                Action: 'kms:Decrypt',
                Resource: keyArn,
                Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.us-east-1.amazonaws.com' } },
              },
            ]
          : [],
      );
      expect(functionPermissions[name].cursorSecret === true).toBe(listingFunctions.includes(name));
    }
  });

  it('lets gateway functions decrypt with the secrets key only through Secrets Manager', () => {
    // Prepare
    const keyArn = getAtt(logicalIdOf(synthesized.stack, synthesized.stack.keys.storefrontSecrets));

    for (const name of functionNames) {
      // Act
      const decrypts = statementsOf(name).filter(
        (statement) => JSON.stringify(statement.Resource) === JSON.stringify(keyArn),
      );

      // Assess
      expect(decrypts).toEqual(
        gatewayFunctions.includes(name)
          ? [
              {
                Effect: 'Allow',
                Action: 'kms:Decrypt',
                Resource: keyArn,
                Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.us-east-1.amazonaws.com' } },
              },
            ]
          : [],
      );
    }
  });

  it('lets webhook-endpoints create, read and delete webhook secrets, and webhook-delivery only read them', () => {
    // Prepare
    const read = { Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: webhookSecretPattern };

    for (const name of functionNames) {
      // Act
      const webhookSecrets = statementsOf(name).filter(onWebhookSecrets);

      // Assess
      if (name === 'webhook-endpoints') {
        expect(webhookSecrets).toEqual([
          {
            Effect: 'Allow',
            Action: 'secretsmanager:CreateSecret',
            Resource: webhookSecretPattern,
            Condition: {
              StringLike: { 'secretsmanager:Name': '/payments/prod/storefronts/*/webhooks/we_*' },
            },
          },
          read,
          { Effect: 'Allow', Action: 'secretsmanager:DeleteSecret', Resource: webhookSecretPattern },
        ]);
      } else if (name === 'webhook-delivery') {
        expect(webhookSecrets).toEqual([read]);
      } else {
        expect(webhookSecrets).toEqual([]);
      }
      expect(functionPermissions[name].webhookSecrets !== undefined).toBe(
        webhookSecretReaders.includes(name),
      );
    }
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
    expect(JSON.stringify(webhookSecretPattern)).toContain(webhookPattern);
    expect(JSON.stringify(storefrontSecretPattern)).toContain(clearentPattern);
  });

  it('grants secret writes only on webhook secrets, no wildcard action, and "*" as a resource only to X-Ray', () => {
    // Act
    const statements = allStatements();
    const actions = statements.flatMap(actionsOf);

    // Assess
    expect(actions.filter((action) => action.startsWith('secretsmanager:')).sort()).toEqual(
      [
        ...[...gatewayFunctions, ...listingFunctions, ...webhookSecretReaders].map(
          () => 'secretsmanager:GetSecretValue',
        ),
        'secretsmanager:CreateSecret',
        'secretsmanager:DeleteSecret',
      ].sort(),
    );
    const secretWrites = statements.filter((statement) =>
      actionsOf(statement).some(
        (action) => action.startsWith('secretsmanager:') && action !== 'secretsmanager:GetSecretValue',
      ),
    );
    expect(secretWrites.every(onWebhookSecrets)).toBe(true);
    expect(actions.filter((action) => action.includes('*') && !action.startsWith('kms:'))).toEqual([]);
    expect(statements.every((statement) => statement.Effect === 'Allow')).toBe(true);
    const onEverything = statements.filter((statement) => statement.Resource === '*');
    expect(onEverything.flatMap(actionsOf).every((action) => action.startsWith('xray:'))).toBe(true);
    expect(onEverything).toHaveLength(functionNames.length);
  });

  it('lets only the events relay read the table stream, on that stream only, and park failed batches', () => {
    // Prepare
    const streamArn = {
      'Fn::GetAtt': [logicalIdOf(synthesized.stack, synthesized.stack.data.table), 'StreamArn'],
    };
    const failures = getAtt(logicalIdOf(synthesized.stack, synthesized.stack.webhookQueues.relayFailures));

    for (const name of functionNames) {
      // Act
      const stream = statementsOf(name).filter(
        (statement) =>
          isStreamStatement(statement) || JSON.stringify(statement.Resource) === JSON.stringify(failures),
      );

      // Assess
      expect(stream).toEqual(
        name === 'events-relay'
          ? [
              { Effect: 'Allow', Action: streamActions, Resource: streamArn },
              { Effect: 'Allow', Action: 'sqs:SendMessage', Resource: failures },
            ]
          : [],
      );
    }
  });

  it('attaches no inline policy and no AWS managed policy to any role', () => {
    // Act & Assess
    synthesized.template.resourceCountIs('AWS::IAM::Policy', 0);
    synthesized.template.allResourcesProperties('AWS::IAM::Role', {
      Policies: Match.absent(),
      ManagedPolicyArns: Match.absent(),
    });
  });

  it('lets each function write only to its own log group', () => {
    for (const [name, fn] of synthesized.stack.functions.all()) {
      // Act
      const logs = statementsOf(name).filter((statement) => actionsOf(statement)[0]?.startsWith('logs:'));

      // Assess
      expect(logs).toEqual([
        {
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: getAtt(logicalIdOf(synthesized.stack, fn.logGroup)),
        },
      ]);
    }
  });

  it('lets the selector only send to the charge queue and the worker only consume it', () => {
    // Prepare
    const queueArn = getAtt(logicalIdOf(synthesized.stack, synthesized.stack.queues.charges));

    // Act
    const sqsOn = (name: FunctionName) =>
      statementsOf(name).filter(
        (statement) =>
          actionsOf(statement)[0]?.startsWith('sqs:') &&
          JSON.stringify(statement.Resource) === JSON.stringify(queueArn),
      );

    // Assess
    expect(sqsOn('recurring-selector')).toEqual([
      { Effect: 'Allow', Action: 'sqs:SendMessage', Resource: queueArn },
    ]);
    expect(sqsOn('recurring-worker')).toEqual([
      {
        Effect: 'Allow',
        Action: [
          'sqs:ReceiveMessage',
          'sqs:DeleteMessage',
          'sqs:ChangeMessageVisibility',
          'sqs:GetQueueAttributes',
          'sqs:GetQueueUrl',
        ],
        Resource: queueArn,
      },
    ]);
    const others = functionNames.filter((name) => !name.startsWith('recurring-'));
    expect(others.flatMap(sqsOn)).toEqual([]);
  });

  it('lets the relay and the sweep only send to the webhook queue, and the delivery function consume and send', () => {
    // Prepare
    const queueArn = getAtt(logicalIdOf(synthesized.stack, synthesized.stack.webhookQueues.deliveries));
    const send = { Effect: 'Allow', Action: 'sqs:SendMessage', Resource: queueArn };

    // Act
    const sqsOf = (name: FunctionName) =>
      statementsOf(name).filter(
        (statement) => JSON.stringify(statement.Resource) === JSON.stringify(queueArn),
      );

    // Assess
    expect(sqsOf('events-relay')).toEqual([send]);
    expect(sqsOf('webhook-sweep')).toEqual([send]);
    expect(sqsOf('webhook-delivery')).toEqual([
      {
        Effect: 'Allow',
        Action: [
          'sqs:ReceiveMessage',
          'sqs:DeleteMessage',
          'sqs:ChangeMessageVisibility',
          'sqs:GetQueueAttributes',
          'sqs:GetQueueUrl',
        ],
        Resource: queueArn,
      },
      send,
    ]);
    const webhookFunctions: FunctionName[] = ['events-relay', 'webhook-sweep', 'webhook-delivery'];
    const others = functionNames.filter((name) => !webhookFunctions.includes(name));
    expect(others.flatMap(sqsOf)).toEqual([]);
  });

  it('gives webhook-delivery exactly its table items, webhook queue, webhook secrets, logs and X-Ray', () => {
    // Prepare
    const fn = synthesized.stack.functions.get('webhook-delivery');
    const queueArn = getAtt(logicalIdOf(synthesized.stack, synthesized.stack.webhookQueues.deliveries));

    // Act
    const statements = statementsOf('webhook-delivery');

    // Assess
    expect(statements).toEqual([
      {
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: getAtt(logicalIdOf(synthesized.stack, fn.logGroup)),
      },
      { Effect: 'Allow', Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], Resource: '*' },
      {
        Effect: 'Allow',
        Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
        Resource: tableArn(),
      },
      {
        Effect: 'Allow',
        Action: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'],
        Resource: getAtt(logicalIdOf(synthesized.stack, synthesized.stack.keys.table)),
        Condition: { StringEquals: { 'kms:ViaService': 'dynamodb.us-east-1.amazonaws.com' } },
      },
      {
        Effect: 'Allow',
        Action: [
          'sqs:ReceiveMessage',
          'sqs:DeleteMessage',
          'sqs:ChangeMessageVisibility',
          'sqs:GetQueueAttributes',
          'sqs:GetQueueUrl',
        ],
        Resource: queueArn,
      },
      { Effect: 'Allow', Action: 'sqs:SendMessage', Resource: queueArn },
      { Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: webhookSecretPattern },
    ]);
  });

  it('gives reconciliation exactly its table, pending index, gateway credentials, logs and X-Ray', () => {
    // Prepare
    const fn = synthesized.stack.functions.get('reconciliation');
    const pendingIndex = { 'Fn::Join': ['', [tableArn(), '/index/pendingTransactions']] };
    const indexArns = tableIndexes.map((index) => ({
      'Fn::Join': ['', [tableArn(), `/index/${index.name}`]],
    }));

    // Act
    const statements = statementsOf('reconciliation');

    // Assess
    expect(indexArns).toContainEqual(pendingIndex);
    expect(statements).toEqual([
      {
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: getAtt(logicalIdOf(synthesized.stack, fn.logGroup)),
      },
      { Effect: 'Allow', Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], Resource: '*' },
      {
        Effect: 'Allow',
        Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
        Resource: tableArn(),
      },
      { Effect: 'Allow', Action: 'dynamodb:Query', Resource: [tableArn(), ...indexArns] },
      {
        Effect: 'Allow',
        Action: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'],
        Resource: getAtt(logicalIdOf(synthesized.stack, synthesized.stack.keys.table)),
        Condition: { StringEquals: { 'kms:ViaService': 'dynamodb.us-east-1.amazonaws.com' } },
      },
      { Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: storefrontSecretPattern },
      {
        Effect: 'Allow',
        Action: 'kms:Decrypt',
        Resource: getAtt(logicalIdOf(synthesized.stack, synthesized.stack.keys.storefrontSecrets)),
        Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.us-east-1.amazonaws.com' } },
      },
    ]);
  });
});
