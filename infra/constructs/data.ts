import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { tableIndexes, tableKeys, timeToLiveAttribute } from '../../shared/store/table';
import type { QueryTarget } from '../permissions';
import type { StageSettings } from '../stages';

export interface PaymentsDataProps {
  stage: StageSettings;
  key: kms.IKey;
}

/**
 * The single table (shape from `shared/store/table.ts`), encrypted with its own key, recoverable to the
 * second, with a stream of new images: the events relay's event source filters it down to items whose
 * outbox holds events (their `workPk` in the `work` index), and reads it with the table key.
 */
export class PaymentsData extends Construct {
  readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string, { stage, key }: PaymentsDataProps) {
    super(scope, id);
    const stringKey = (name: string): dynamodb.Attribute => ({ name, type: dynamodb.AttributeType.STRING });
    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: stringKey(tableKeys.partitionKey),
      sortKey: stringKey(tableKeys.sortKey),
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: key,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute,
      // New images: the relay's filter matches on an attribute of the item as written (`workPk`).
      stream: dynamodb.StreamViewType.NEW_IMAGE,
      deletionProtection: stage.retainData,
      removalPolicy: stage.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    for (const index of tableIndexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: stringKey(index.partitionKey),
        sortKey: stringKey(index.sortKey),
        projectionType: dynamodb.ProjectionType.ALL,
      });
    }
  }

  /** The ARN a `Query` of `target` reads: the table's own, or one index's by name (never `index/*`). */
  queryArn(target: QueryTarget): string {
    return target === 'table' ? this.table.tableArn : `${this.table.tableArn}/index/${target}`;
  }
}
