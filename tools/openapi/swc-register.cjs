// Runs TypeScript under plain Node with decorator metadata, which Nest's dependency injection reads
// and tsx (esbuild) does not emit; the swc options are jest's (jest.config.js), so the document is
// built from the same compiled code the unit tier tests.
const fs = require('node:fs');
const path = require('node:path');
const { transformSync } = require('@swc/core');

const root = path.resolve(__dirname, '../..');

require.extensions['.ts'] = (module, filename) => {
  const { code } = transformSync(fs.readFileSync(filename, 'utf8'), {
    filename,
    sourceMaps: 'inline',
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
      baseUrl: root,
      paths: {
        '@app/common/*': ['libs/common/src/*'],
        '@app/contracts': ['libs/contracts/src'],
        '@app/contracts/*': ['libs/contracts/src/*'],
      },
    },
    module: { type: 'commonjs' },
  });
  module._compile(code, filename);
};
