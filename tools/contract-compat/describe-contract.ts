import { join } from 'node:path';
import ts from 'typescript';
import { ContractDescription, Field, Shape } from './contract-description';

/** Where the contract declares its maps (libs/contracts/src/contract.ts) and error codes. */
export const CONTRACT_ENTRY = 'libs/contracts/src/index.ts';
const RPC_MAP = 'BazaarRpc';
const EVENTS_MAP = 'BazaarEvents';
const ERROR_CATALOG = 'ERROR_CATALOG';

/**
 * Reads the contract of the checkout at `rootDir` from its TypeScript types, with the compiler's
 * own type checker: the declared maps name each subject's request, reply and event payload, and
 * the types say every field's type, whether it is optional, and the literal values of its enums.
 * Static: nothing of the checkout is executed, so an old release's tree is read the same way.
 */
export function describeContract(rootDir: string): ContractDescription {
  const entry = join(rootDir, CONTRACT_ENTRY);
  const config = ts.readConfigFile(join(rootDir, 'tsconfig.json'), (path) => ts.sys.readFile(path));
  const parsed = ts.parseJsonConfigFileContent(config.config ?? {}, ts.sys, rootDir);
  const program = ts.createProgram([entry], { ...parsed.options, noEmit: true, incremental: false });
  const problems = ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file?.fileName.includes('/libs/contracts/'))
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  if (problems.length > 0) {
    throw new Error(`the contract at ${rootDir} does not type-check:\n${problems.join('\n')}`);
  }
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(entry);
  const module = source && checker.getSymbolAtLocation(source);
  if (!module) {
    throw new Error(`${entry} not found`);
  }
  const exported = new Map(checker.getExportsOfModule(module).map((symbol) => [symbol.name, symbol]));
  const exportedType = (name: string): ts.Type => {
    const symbol = exported.get(name);
    if (!symbol) {
      throw new Error(`${CONTRACT_ENTRY} does not export ${name}`);
    }
    const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    return target.flags & ts.SymbolFlags.Value
      ? checker.getTypeOfSymbol(target)
      : checker.getDeclaredTypeOfSymbol(target);
  };
  const describe = new ShapeReader(checker);

  const rpc: ContractDescription['rpc'] = {};
  for (const subject of checker.getPropertiesOfType(exportedType(RPC_MAP))) {
    const pair = checker.getTypeOfSymbol(subject);
    rpc[subject.name] = {
      request: describe.shape(checker.getTypeOfSymbol(propertyOf(checker, pair, 'request', subject.name))),
      response: describe.shape(checker.getTypeOfSymbol(propertyOf(checker, pair, 'response', subject.name))),
      ...deprecation(subject),
    };
  }
  const events: ContractDescription['events'] = {};
  for (const subject of checker.getPropertiesOfType(exportedType(EVENTS_MAP))) {
    events[subject.name] = { payload: describe.shape(checker.getTypeOfSymbol(subject)), ...deprecation(subject) };
  }
  const errorCodes: ContractDescription['errorCodes'] = {};
  for (const code of checker.getPropertiesOfType(exportedType(ERROR_CATALOG))) {
    const status = checker.getTypeOfSymbol(propertyOf(checker, checker.getTypeOfSymbol(code), 'status', code.name));
    errorCodes[code.name] = status.isNumberLiteral() ? status.value : Number.NaN;
  }
  return { rpc: sortKeys(rpc), events: sortKeys(events), errorCodes: sortKeys(errorCodes) };
}

/** `@deprecated` in a property's doc comment: the next release may remove it (docs/contracts.md). */
function deprecation(symbol: ts.Symbol): { deprecated?: true } {
  return symbol.getJsDocTags().some((tag) => tag.name === 'deprecated') ? { deprecated: true } : {};
}

function propertyOf(checker: ts.TypeChecker, type: ts.Type, name: string, owner: string): ts.Symbol {
  const property = checker.getPropertyOfType(type, name);
  if (!property) {
    throw new Error(`${owner} has no \`${name}\``);
  }
  return property;
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}

/** Turns a TypeScript type into the wire shape a JSON reader sees. */
class ShapeReader {
  private readonly inProgress = new Set<ts.Type>();

  constructor(private readonly checker: ts.TypeChecker) {}

  shape(type: ts.Type): Shape {
    if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) {
      return { type: 'unknown' };
    }
    if (type.isUnion()) {
      return this.union(type.types);
    }
    if (type.isStringLiteral() || type.isNumberLiteral()) {
      return { type: 'enum', values: [type.value] };
    }
    if (type.flags & ts.TypeFlags.StringLike) {
      return { type: 'string' };
    }
    if (type.flags & ts.TypeFlags.NumberLike) {
      return { type: 'number' };
    }
    if (type.flags & ts.TypeFlags.BooleanLike) {
      return { type: 'boolean' };
    }
    if (type.flags & ts.TypeFlags.Null) {
      return { type: 'null' };
    }
    if (this.checker.isArrayType(type)) {
      return { type: 'array', items: this.shape(this.checker.getTypeArguments(type as ts.TypeReference)[0]) };
    }
    return this.object(type);
  }

  /** The shape of a property's value: the `undefined` an optional `?` adds is `required: false`. */
  private withoutUndefined(type: ts.Type): Shape {
    return type.isUnion()
      ? this.union(type.types.filter((t) => !(t.flags & ts.TypeFlags.Undefined)))
      : this.shape(type);
  }

  private union(members: readonly ts.Type[]): Shape {
    const present = members.filter((t) => !(t.flags & (ts.TypeFlags.Null | ts.TypeFlags.Undefined)));
    const nullable = present.length < members.length && members.some((t) => t.flags & ts.TypeFlags.Null);
    const withNull = (shape: Shape): Shape => (nullable ? { ...shape, nullable: true } : shape);
    if (present.length === 0) {
      return { type: 'null' };
    }
    if (present.every((t) => t.flags & ts.TypeFlags.BooleanLiteral)) {
      return withNull({ type: 'boolean' });
    }
    if (present.every((t) => t.isStringLiteral() || t.isNumberLiteral())) {
      const values = present.map((t) => t.value);
      return withNull({ type: 'enum', values: [...values].sort() });
    }
    if (present.length === 1) {
      return withNull(this.shape(present[0]));
    }
    const anyOf = present.map((t) => this.shape(t));
    return withNull({ type: 'union', anyOf: anyOf.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))) });
  }

  private object(type: ts.Type): Shape {
    if (this.inProgress.has(type)) {
      throw new Error(`recursive type ${this.checker.typeToString(type)}: describe it without recursion`);
    }
    this.inProgress.add(type);
    try {
      const fields: Record<string, Field> = {};
      for (const property of this.checker.getPropertiesOfType(type)) {
        const declaration = property.valueDeclaration ?? property.declarations?.[0];
        const propertyType = declaration
          ? this.checker.getTypeOfSymbolAtLocation(property, declaration)
          : this.checker.getTypeOfSymbol(property);
        if (propertyType.getCallSignatures().length > 0) {
          continue;
        }
        const optional = (property.flags & ts.SymbolFlags.Optional) !== 0;
        fields[property.name] = {
          required: !optional,
          shape: this.withoutUndefined(propertyType),
          ...deprecation(property),
        };
      }
      const index = this.checker.getIndexInfoOfType(type, ts.IndexKind.String);
      if (index && Object.keys(fields).length === 0 && !(index.type.flags & ts.TypeFlags.Never)) {
        return { type: 'map', values: this.shape(index.type) };
      }
      return { type: 'object', fields: sortKeys(fields) };
    } finally {
      this.inProgress.delete(type);
    }
  }
}
