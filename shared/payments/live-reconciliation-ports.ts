/**
 * The real adapters behind the reconciliation ports, built once per container from the environment: the
 * payments ports (./live-ports.ts) plus the pending index, which only reconciliation reads.
 */
import { tableName } from '../config';
import { documentClient } from '../store/dynamo';
import { DynamoPendingTransactions } from '../store/pending-transactions';
import { livePorts } from './live-ports';
import type { ReconciliationPorts } from './ports';

let ports: ReconciliationPorts | undefined;

export function liveReconciliationPorts(): ReconciliationPorts {
  ports ??= { ...livePorts(), pending: new DynamoPendingTransactions(documentClient(), tableName()) };
  return ports;
}
