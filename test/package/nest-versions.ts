/**
 * The Nest apps the package smoke test creates: what `nest new` writes for each major
 * (its package.json's dependencies and its tsconfig), with `strict: true`. The Nest 10 app
 * takes reflect-metadata 0.1, as Nest 10 apps generated before 10.2 have it, so both
 * ranges of the peer dependency are installed somewhere.
 */
export interface NestVersion {
  label: string;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  tsconfig: Record<string, unknown>;
}

const shared = {
  declaration: true,
  removeComments: true,
  emitDecoratorMetadata: true,
  experimentalDecorators: true,
  allowSyntheticDefaultImports: true,
  sourceMap: true,
  outDir: './dist',
  baseUrl: './',
  incremental: true,
  skipLibCheck: true,
  strict: true,
  forceConsistentCasingInFileNames: true,
  noFallthroughCasesInSwitch: true,
};

export const NEST_VERSIONS: NestVersion[] = [
  {
    label: 'nest10',
    dependencies: {
      '@nestjs/common': '^10.0.0',
      '@nestjs/core': '^10.0.0',
      '@nestjs/platform-express': '^10.0.0',
      'reflect-metadata': '^0.1.13',
      rxjs: '^7.8.1',
    },
    devDependencies: {
      '@nestjs/cli': '^10.0.0',
      '@types/node': '^20.3.1',
      typescript: '^5.1.3',
    },
    // @nestjs/schematics 10: CommonJS, node10 resolution (no `exports` map for types).
    tsconfig: { module: 'commonjs', target: 'ES2021', ...shared },
  },
  {
    label: 'nest11',
    dependencies: {
      '@nestjs/common': '^11.0.1',
      '@nestjs/core': '^11.0.1',
      '@nestjs/platform-express': '^11.0.1',
      'reflect-metadata': '^0.2.2',
      rxjs: '^7.8.1',
    },
    devDependencies: {
      '@nestjs/cli': '^11.0.0',
      '@types/node': '^22.10.7',
      typescript: '^5.7.3',
    },
    // @nestjs/schematics 11: nodenext, which reads the package's `exports` map.
    tsconfig: {
      module: 'nodenext',
      moduleResolution: 'nodenext',
      resolvePackageJsonExports: true,
      esModuleInterop: true,
      isolatedModules: true,
      target: 'ES2023',
      ...shared,
    },
  },
];
