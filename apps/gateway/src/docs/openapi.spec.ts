import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { OpenAPIObject, OperationObject, ParameterObject, ReferenceObject, ResponseObject } from '@nestjs/swagger';
import { buildGatewayOpenApiDocument } from './openapi-document';

const isRef = (value: object | undefined): value is ReferenceObject => value !== undefined && '$ref' in value;

/** A response as written inline (the gateway never uses response $refs), or an empty one. */
const inline = (response: ResponseObject | ReferenceObject | undefined): ResponseObject =>
  response === undefined || isRef(response) ? { description: '' } : response;

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

function operationsOf(document: OpenAPIObject): Array<{ route: string; operation: OperationObject }> {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    METHODS.filter((method) => item[method]).map((method) => ({
      route: `${method.toUpperCase()} ${path}`,
      operation: item[method]!,
    })),
  );
}

describe('the gateway OpenAPI document', () => {
  let sut: OpenAPIObject;
  let operations: Array<{ route: string; operation: OperationObject }>;

  beforeAll(async () => {
    sut = await buildGatewayOpenApiDocument();
    operations = operationsOf(sut);
  });

  it('documents every route of the API', () => {
    expect(operations.map(({ route }) => route)).toHaveLength(15);
  });

  it('is what docs/openapi.json holds (else run `npm run openapi`)', () => {
    const committed: unknown = JSON.parse(readFileSync(resolve(__dirname, '../../../../docs/openapi.json'), 'utf8'));
    expect(JSON.parse(JSON.stringify(sut))).toEqual(committed);
  });

  it('gives every operation an explicit, unique camelCase operationId', () => {
    const ids = operations.map(({ route, operation }) => [route, operation.operationId]);
    // Nest's default ids read `ProductsRoutesController_get`: a route that forgot its id shows as one.
    expect(ids.filter(([, id]) => !/^[a-z][a-zA-Z]*$/.test(id ?? ''))).toEqual([]);
    expect(new Set(ids.map(([, id]) => id)).size).toBe(ids.length);
  });

  it('answers every error with the one problem schema, as application/problem+json only', () => {
    const errors = operations.flatMap(({ route, operation }) =>
      Object.entries(operation.responses)
        .filter(([status]) => Number(status) >= 400)
        .map(([status, response]) => ({
          at: `${route} ${status}`,
          content: inline(response).content ?? {},
        })),
    );
    expect(errors.length).toBeGreaterThan(operations.length * 3);
    const deviations = errors.filter(
      ({ content }) =>
        Object.keys(content).join() !== 'application/problem+json' ||
        (content['application/problem+json'].schema as ReferenceObject | undefined)?.$ref !==
          '#/components/schemas/Problem',
    );
    expect(deviations.map(({ at }) => at)).toEqual([]);
  });

  it('declares one problem schema, no second shape beside it', () => {
    const problemShaped = Object.entries(sut.components?.schemas ?? {})
      .filter(([, schema]) => 'properties' in schema && schema.properties?.code && schema.properties?.requestId)
      .map(([name]) => name);
    expect(problemShaped).toEqual(['Problem']);
  });

  it('declares x-request-id as a request header of every operation and a header of every response', () => {
    expect(sut.components?.parameters?.RequestId).toMatchObject({ name: 'x-request-id', in: 'header' });
    const missing = operations.flatMap(({ route, operation }) => [
      ...(operation.parameters?.some(
        (parameter: ParameterObject | ReferenceObject) =>
          isRef(parameter) && parameter.$ref === '#/components/parameters/RequestId',
      )
        ? []
        : [`${route} request`]),
      ...Object.entries(operation.responses)
        .filter(([, response]) => !inline(response).headers?.['x-request-id'])
        .map(([status]) => `${route} ${status}`),
    ]);
    expect(missing).toEqual([]);
  });
});
