import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/", ".next/", "server/db/generated/", "training/", "models/", "next-env.d.ts", "test-results/", "playwright-report/", "tests/artifacts/", "bench/results/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts", "**/*.tsx"],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/switch-exhaustiveness-check": ["error", { considerDefaultExhaustiveForUnions: true }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      // Only the persistence layer talks to the database.
      "no-restricted-imports": ["error", { patterns: [{ group: ["**/db/generated/**", "@prisma/client", "@prisma/client/*"], message: "Import the database only inside server/db." }] }],
    },
  },
  { files: ["server/db/**"], rules: { "no-restricted-imports": "off" } },
  { files: ["**/*.d.ts"], rules: { "@typescript-eslint/no-unused-vars": "off" } },
  // Playwright fixtures must destructure their (empty) dependencies.
  { files: ["tests/e2e/**"], rules: { "no-empty-pattern": "off" } },
  { files: ["**/*.mjs", "**/*.js"], languageOptions: { globals: { process: "readonly", console: "readonly" } } },
);
