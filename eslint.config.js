// ESLint flat config: typescript-eslint with type information (recommendedTypeChecked) everywhere,
// React hooks rules for the browser code in app/.
import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["build/", "public/build/", "node_modules/", ".cache/", "db/*.sql", "data/", "bench/results/"] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "module",
      globals: { ...globals.node, ...globals.browser },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      // Unused names are errors, but a leading underscore marks one kept on purpose (a callback's position).
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
      // A form handler or event listener may be async: React and the DOM ignore the promise, and each
      // handler catches its own errors. Still checked everywhere else (conditions, spreads, arguments).
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: { attributes: false } }],
      // An async function without await is how a synchronous check is handed to something that takes a
      // Promise-returning function (answeringRefusals, Remix loaders): its throw becomes a rejection there.
      "@typescript-eslint/require-await": "off",
      // Passing on a caught `unknown` unchanged (React's onShellError to a Promise) is right; new rejections must be Errors.
      "@typescript-eslint/prefer-promise-reject-errors": ["error", { allowThrowingUnknown: true }],
      // `interface AppLoadContext extends AppContext {}` is how Remix's context type is augmented.
      "@typescript-eslint/no-empty-object-type": ["error", { allowInterfaces: "with-single-extends" }],
      // vitest reads a fixture's parameters from its source and requires an object pattern, `{}` when
      // the fixture uses no other fixture.
      "no-empty-pattern": ["error", { allowObjectPatternsAsParameters: true }],
    },
  },
  {
    // Plain JavaScript config files have no types to check.
    files: ["**/*.js", "**/*.mjs", "**/*.cjs"],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // Remix's control flow throws Responses: `throw redirect(...)`, `throw data(..., { status })` end a
    // loader or action with that answer (and the error boundary renders the thrown data).
    files: ["app/**/*.{ts,tsx}", "server/http/**/*.ts"],
    rules: { "@typescript-eslint/only-throw-error": "off" },
  },
  {
    files: ["app/**/*.{ts,tsx}"],
    ...reactHooks.configs.flat.recommended,
    rules: {
      ...reactHooks.configs.flat.recommended.rules,
      // The next three are React Compiler checks, and the app is not compiled with it. What they flag here
      // is deliberate: state that only the browser knows (its time zone, "mounted") is set in an effect
      // after hydration so the server's HTML matches the first render; a ref is given the latest value
      // during render for a subscription to read later; TipTap's editor.storage is the editor's, not React's.
      "react-hooks/set-state-in-effect": "off",
      "react-hooks/refs": "off",
      "react-hooks/immutability": "off",
    },
  },
);
