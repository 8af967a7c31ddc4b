import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, HeaderObject, OpenAPIObject, ParameterObject, SwaggerModule } from '@nestjs/swagger';
import { REQUEST_ID_HEADER } from '@app/common/context';

const REQUEST_ID_PARAMETER: ParameterObject = {
  name: REQUEST_ID_HEADER,
  in: 'header',
  required: false,
  description:
    'Your id for this request, echoed in the answer and in every service log line about it, when it is ' +
    '1–128 characters of `[A-Za-z0-9._-]`; anything else is replaced by a fresh id (never rejected).',
  schema: { type: 'string', example: 'checkout-7f3a9c' },
};

const REQUEST_ID_RESPONSE_HEADER: HeaderObject = {
  description: 'The request id: yours when it was sane, otherwise a fresh one. Quote it when reporting a problem.',
  schema: { type: 'string' },
};

/**
 * Declares `x-request-id` on every operation and every response in one place, because the gateway
 * handles it in one place (a Fastify hook) for every route: a route can't forget it.
 */
function declareRequestIds(document: OpenAPIObject): OpenAPIObject {
  const components = document.components ?? {};
  components.parameters = { ...components.parameters, RequestId: REQUEST_ID_PARAMETER };
  components.headers = { ...components.headers, RequestId: REQUEST_ID_RESPONSE_HEADER };
  document.components = components;
  for (const pathItem of Object.values(document.paths)) {
    for (const method of ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const) {
      const operation = pathItem[method];
      if (!operation) {
        continue;
      }
      operation.parameters = [...(operation.parameters ?? []), { $ref: '#/components/parameters/RequestId' }];
      for (const response of Object.values(operation.responses)) {
        if (!response || '$ref' in response) {
          continue;
        }
        response.headers = { ...response.headers, [REQUEST_ID_HEADER]: { $ref: '#/components/headers/RequestId' } };
      }
    }
  }
  return document;
}

/**
 * The gateway's OpenAPI document, built from the routes' decorators. The one factory: the running
 * gateway serves it at /docs, and `npm run openapi` writes it to docs/openapi.json.
 */
export function createOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Bazaar API')
    .setDescription(
      'The public HTTP API of Bazaar (docs/api.md). Errors are application/problem+json (RFC 9457) with a stable ' +
        '`code`; every response carries `x-request-id`. Request bodies over 100 KiB are rejected with 413.',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .build();
  return declareRequestIds(SwaggerModule.createDocument(app, config));
}

/** Serves the OpenAPI UI at /docs and the document at /docs/openapi.json. */
export function mountOpenApi(app: INestApplication): void {
  SwaggerModule.setup('docs', app, createOpenApiDocument(app), {
    jsonDocumentUrl: 'docs/openapi.json',
    yamlDocumentUrl: 'docs/openapi.yaml',
  });
}
