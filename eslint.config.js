// Lint rules that protect the product's promises: no floating promises (a lost rejection can hide a failed login
// outcome), no console.* outside the CLI (stdout carries --json output and the Ink screen), and the layer rule of
// docs/ARCHITECTURE.md: each folder of src/ imports only the folders below it.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// model ← protocols ← transport ← {discovery, fingerprint} ← guard ← auth ← scan ← output ← ui ← cli
// (util sits beside model as ground; the simulator builds on model, protocols and transport only; index.ts is the
// library facade over scan/output/guard, used by ui and cli.)
const below = {
  model: [],
  util: [],
  protocols: ['model', 'util'],
  transport: ['model', 'util', 'protocols'],
  discovery: ['model', 'util', 'protocols', 'transport'],
  fingerprint: ['model', 'util', 'protocols', 'transport'],
  guard: ['model', 'util', 'protocols', 'transport', 'discovery', 'fingerprint'],
  auth: ['model', 'util', 'protocols', 'transport', 'discovery', 'fingerprint', 'guard'],
  scan: ['model', 'util', 'protocols', 'transport', 'discovery', 'fingerprint', 'guard', 'auth'],
  output: ['model', 'util', 'protocols', 'transport', 'discovery', 'fingerprint', 'guard', 'auth', 'scan'],
  ui: ['model', 'util', 'protocols', 'transport', 'discovery', 'fingerprint', 'guard', 'auth', 'scan', 'output', 'index'],
  cli: ['model', 'util', 'protocols', 'transport', 'discovery', 'fingerprint', 'guard', 'auth', 'scan', 'output', 'ui', 'index', 'simulator'],
  simulator: ['model', 'protocols', 'transport'],
};
const layers = Object.keys(below);

/** One no-restricted-imports block per folder: every layer it may not reach, as a relative-path pattern. */
function layerRule(folder) {
  const forbidden = layers.filter((layer) => layer !== folder && !below[folder].includes(layer));
  const patterns = forbidden.map((layer) => ({
    regex: `^(\\./)?(\\.\\./)+${layer}/`,
    message: `src/${folder}/ may not import src/${layer}/ (docs/ARCHITECTURE.md: ${folder} builds on ${below[folder].join(', ') || 'nothing in src/'})`,
  }));
  if (!below[folder].includes('index')) {
    patterns.push({ regex: '^(\\.\\./)+index\\.js$', message: `src/${folder}/ may not import the library facade src/index.ts (it sits above ${folder})` });
  }
  return { files: [`src/${folder}/**/*.ts`, `src/${folder}/**/*.tsx`], rules: { 'no-restricted-imports': ['error', { patterns }] } };
}

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'bin/**', 'bench/.build/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  ...layers.map(layerRule),
  {
    files: ['src/index.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ regex: '^\\./(ui|cli|simulator)/', message: 'the library facade must not load the UI, the CLI or the simulator' }] }] },
  },
  // Tests may warn loudly when they must skip (no namespaces, no tmux); the CLI and benchmarks print by design.
  { files: ['src/cli/**', 'bench/**', 'scripts/**', 'test/**'], rules: { 'no-console': 'off' } },
);
