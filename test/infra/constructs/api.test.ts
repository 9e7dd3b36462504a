import { Match } from 'aws-cdk-lib/assertions';
import { accessLogFields, routeKey } from '../../../infra/constructs/api';
import { apiRoutes } from '../../../infra/routes';
import { logicalIdOf, type Synthesized, synthesize } from '../synth';

describe('Class: PaymentsApi', () => {
  let prod: Synthesized;
  let dev: Synthesized;

  beforeAll(() => {
    prod = synthesize('prod');
    dev = synthesize('dev');
  });

  const routeProperties = (synthesized: Synthesized, key: string): Record<string, unknown> => {
    const route = synthesized.stack.api.routes.get(key);
    if (route === undefined) throw new Error(`no route ${key}`);
    const id = logicalIdOf(synthesized.stack, route);
    return synthesized.template.toJSON().Resources[id].Properties;
  };

  it('has exactly the routes of infra/routes.ts', () => {
    // Act
    const keys = Object.values(prod.template.findResources('AWS::ApiGatewayV2::Route')).map(
      (route) => route.Properties.RouteKey,
    );

    // Assess
    expect(keys.sort()).toEqual(apiRoutes.map(routeKey).sort());
  });

  it('sends each route to its own function through a payload 2.0 Lambda integration', () => {
    for (const route of apiRoutes) {
      // Prepare
      const fnId = logicalIdOf(prod.stack, prod.stack.functions.get(route.functionName));

      // Act
      const target = routeProperties(prod, routeKey(route)).Target as { 'Fn::Join': [string, unknown[]] };
      const integrationId = (target['Fn::Join'][1][1] as { Ref: string }).Ref;
      const integration = prod.template.toJSON().Resources[integrationId].Properties;

      // Assess
      expect(integration).toMatchObject({
        IntegrationType: 'AWS_PROXY',
        PayloadFormatVersion: '2.0',
        IntegrationUri: { 'Fn::GetAtt': [fnId, 'Arn'] },
      });
    }
    const servingFunctions = new Set(apiRoutes.map((route) => route.functionName));
    prod.template.resourceCountIs('AWS::ApiGatewayV2::Integration', servingFunctions.size);
  });

  it('puts the storefront key authorizer on every authorized route and none on /health and /openapi.json', () => {
    // Prepare
    const authorizerId = Object.keys(prod.template.findResources('AWS::ApiGatewayV2::Authorizer'))[0];

    for (const route of apiRoutes) {
      // Act
      const properties = routeProperties(prod, routeKey(route));

      // Assess
      if (route.authorized) {
        expect(properties).toMatchObject({
          AuthorizationType: 'CUSTOM',
          AuthorizerId: { Ref: authorizerId },
        });
      } else {
        expect(properties.AuthorizationType).toBe('NONE');
        expect(properties.AuthorizerId).toBeUndefined();
      }
    }
    expect(apiRoutes.filter((route) => !route.authorized).map(routeKey)).toEqual([
      'GET /health',
      'GET /openapi.json',
    ]);
  });

  it('authorizes every request with the authorizer function, uncached, so a missing key gets the contract 401', () => {
    prod.template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'REQUEST',
      AuthorizerPayloadFormatVersion: '2.0',
      EnableSimpleResponses: true,
      IdentitySource: [],
      AuthorizerResultTtlInSeconds: 0,
      AuthorizerUri: Match.objectLike({
        'Fn::Join': [
          '',
          Match.arrayWith([
            { 'Fn::GetAtt': [logicalIdOf(prod.stack, prod.stack.functions.get('authorizer')), 'Arn'] },
          ]),
        ],
      }),
    });
  });

  it('caches by the Authorization header when a stage turns caching on', () => {
    // Act
    const cached = synthesize('dev', { overrides: { authorizerCacheSeconds: 300 } });

    // Assess
    cached.template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerResultTtlInSeconds: 300,
      IdentitySource: ['$request.header.Authorization'],
    });
  });

  it('throttles the default stage with the stage settings', () => {
    prod.template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 200, ThrottlingBurstLimit: 400 },
    });
    dev.template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      DefaultRouteSettings: { ThrottlingRateLimit: 20, ThrottlingBurstLimit: 40 },
    });
  });

  it('writes JSON access logs with request id, ip, route, status and latency, never a header', () => {
    // Act
    const stage = Object.values(prod.template.findResources('AWS::ApiGatewayV2::Stage'))[0];
    const settings = stage?.Properties.AccessLogSettings as { DestinationArn: unknown; Format: string };
    const format = JSON.parse(settings.Format) as Record<string, string>;

    // Assess
    expect(settings.DestinationArn).toEqual({
      'Fn::GetAtt': [logicalIdOf(prod.stack, prod.stack.api.accessLogs), 'Arn'],
    });
    expect(format).toEqual(accessLogFields);
    expect(format).toMatchObject({
      requestId: '$context.requestId',
      ip: '$context.identity.sourceIp',
      routeKey: '$context.routeKey',
      status: '$context.status',
      latency: '$context.responseLatency',
    });
    expect(settings.Format.toLowerCase()).not.toMatch(/header|authorization/);
  });

  it('keeps access logs encrypted with the logs key for the stage retention', () => {
    // Act
    const accessLogs = prod.template.toJSON().Resources[logicalIdOf(prod.stack, prod.stack.api.accessLogs)];

    // Assess
    expect(accessLogs).toMatchObject({
      DeletionPolicy: 'Retain',
      Properties: {
        KmsKeyId: { 'Fn::GetAtt': [logicalIdOf(prod.stack, prod.stack.keys.logs), 'Arn'] },
        RetentionInDays: 365,
      },
    });
  });
});
