import js from "@eslint/js";
import tseslint from "typescript-eslint";

// The walls between the parts (README, Architecture): each entry forbids imports across one wall.
const prisma = { group: ["**/db/generated/**", "@prisma/client", "@prisma/client/*"], message: "Import the database only inside server/db." };
const onnx = { group: ["onnxruntime-node", "onnxruntime-node/*"], message: "onnxruntime-node runs only in workers/ (the inference worker)." };
const socketIo = { group: ["socket.io", "socket.io/*"], message: "socket.io belongs to the socket edge: server/app.ts, server/session/session-sockets.ts and broadcaster.ts." };
const serverCode = { group: ["**/server/**", "@/server/**", "@/server"], message: "app/ and workers/ import only contract/ from the server side." };
const impure = {
  group: ["**/server/db/**", "**/db/*", "**/server/inference/**", "**/inference/index.ts", "**/inference/worker-client.ts", "node:*", "socket.io*", "pg", "@electric-sql/*"],
  message: "Rules and state are pure: no database, inference, socket or Node I/O here (the clock and randomness come in ctx).",
};

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
      "no-restricted-imports": ["error", { patterns: [prisma, onnx, socketIo] }],
    },
  },
  { files: ["server/db/**"], rules: { "no-restricted-imports": ["error", { patterns: [onnx, socketIo] }] } },
  { files: ["workers/**"], rules: { "no-restricted-imports": ["error", { patterns: [prisma, socketIo, serverCode] }] } },
  { files: ["server/app.ts", "server/session/session-sockets.ts", "server/session/broadcaster.ts"], rules: { "no-restricted-imports": ["error", { patterns: [prisma, onnx] }] } },
  { files: ["app/**"], rules: { "no-restricted-imports": ["error", { patterns: [prisma, onnx, serverCode, { group: ["socket.io"], message: "Pages use socket.io-client." }] }] } },
  {
    files: ["server/session/host-machine.ts", "server/session/session-rules.ts", "server/session/session-state.ts", "server/activities/**/*-rules.ts", "server/activities/**/*-state.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [prisma, onnx, socketIo, impure] }],
      "no-restricted-syntax": [
        "error",
        { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: "Rules read the time from ctx.now." },
        { selector: "NewExpression[callee.name='Date']", message: "Rules read the time from ctx.now." },
        { selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']", message: "Rules draw randomness from ctx.rng." },
        { selector: "CallExpression[callee.name=/^set(Timeout|Interval|Immediate)$/]", message: "Timers are effects the host schedules." },
      ],
    },
  },
  { files: ["**/*.d.ts"], rules: { "@typescript-eslint/no-unused-vars": "off" } },
  // Playwright fixtures must destructure their (empty) dependencies.
  { files: ["tests/e2e/**"], rules: { "no-empty-pattern": "off" } },
  // Tests and benches may reach into any part to set it up.
  { files: ["tests/**", "bench/**"], rules: { "no-restricted-imports": "off" } },
  { files: ["**/*.mjs", "**/*.js"], languageOptions: { globals: { process: "readonly", console: "readonly" } } },
);
