import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaAuthorizer, HttpLambdaResponseType } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { type ApiRoute, apiRoutes, type FunctionName } from '../routes';
import type { StageSettings } from '../stages';
import type { PaymentsFunctions } from './functions';

/**
 * One JSON line per request. Built from API Gateway's `$context` only: request headers (and so the
 * `Authorization` key) cannot appear. `storefrontId` is what the authorizer put in its context.
 */
export const accessLogFields = {
  requestId: '$context.requestId',
  ip: '$context.identity.sourceIp',
  requestTime: '$context.requestTime',
  routeKey: '$context.routeKey',
  status: '$context.status',
  latency: '$context.responseLatency',
  integrationLatency: '$context.integrationLatency',
  responseLength: '$context.responseLength',
  integrationError: '$context.integrationErrorMessage',
  authorizerError: '$context.authorizer.error',
  storefrontId: '$context.authorizer.storefrontId',
  userAgent: '$context.identity.userAgent',
} as const;

export interface PaymentsApiProps {
  stage: StageSettings;
  functions: PaymentsFunctions;
  logsKey: kms.IKey;
}

/** The HTTP API: every route of `infra/routes.ts`, storefront routes behind the key authorizer. */
export class PaymentsApi extends Construct {
  readonly httpApi: apigw.HttpApi;
  readonly defaultStage: apigw.HttpStage;
  readonly accessLogs: logs.LogGroup;
  /** Each route, keyed `METHOD path` as in `infra/routes.ts`. */
  readonly routes = new Map<string, apigw.HttpRoute>();

  constructor(scope: Construct, id: string, { stage, functions, logsKey }: PaymentsApiProps) {
    super(scope, id);
    this.httpApi = new apigw.HttpApi(this, 'HttpApi', {
      description: `Payments ${stage.name}: storefront payments API`,
      createDefaultStage: false,
    });
    this.accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: stage.logRetention,
      encryptionKey: logsKey,
      removalPolicy: stage.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    this.defaultStage = this.httpApi.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: stage.apiThrottle,
      accessLogSettings: {
        destination: new apigw.LogGroupLogDestination(this.accessLogs),
        format: AccessLogFormat.custom(JSON.stringify(accessLogFields)),
      },
    });
    // A cached answer is keyed by the identity source. Without caching there is no identity source, so
    // the authorizer also sees requests lacking the header (API Gateway would answer those a bare 401).
    const cached = stage.authorizerCacheSeconds > 0;
    const authorizer = new HttpLambdaAuthorizer('StorefrontKey', functions.get('authorizer'), {
      responseTypes: [HttpLambdaResponseType.SIMPLE],
      identitySource: cached ? ['$request.header.Authorization'] : [],
      resultsCacheTtl: Duration.seconds(stage.authorizerCacheSeconds),
    });
    const integrations = new Map<FunctionName, HttpLambdaIntegration>();
    const integrationOf = (name: FunctionName): HttpLambdaIntegration => {
      const existing = integrations.get(name);
      if (existing !== undefined) return existing;
      const integration = new HttpLambdaIntegration(`${name}-integration`, functions.get(name), {
        payloadFormatVersion: apigw.PayloadFormatVersion.VERSION_2_0,
      });
      integrations.set(name, integration);
      return integration;
    };
    for (const route of apiRoutes) {
      const [added] = this.httpApi.addRoutes({
        path: route.path,
        methods: [apigw.HttpMethod[route.method]],
        integration: integrationOf(route.functionName),
        ...(route.authorized ? { authorizer } : {}),
      });
      if (added === undefined) throw new Error(`route ${routeKey(route)} was not created`);
      this.routes.set(routeKey(route), added);
    }
  }
}

/** `GET /health`: API Gateway's route key of a route. */
export function routeKey(route: ApiRoute): string {
  return `${route.method} ${route.path}`;
}
