import * as ts from 'typescript';

/**
 * The names exported from `entries` (the package's entry points) whose declaration has
 * no doc comment, as `<entry>: <name>`. Re-exports are followed to where the name is
 * declared; a name declared in several places (an overload, a merged interface) needs
 * one comment among them.
 */
export function undocumentedExports(entries: string[]): string[] {
  const program = ts.createProgram(entries, {
    strict: true,
    experimentalDecorators: true,
    emitDecoratorMetadata: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    skipLibCheck: true,
    noEmit: true,
    types: ['node'],
  });
  const checker = program.getTypeChecker();
  const missing: string[] = [];
  for (const entry of entries) {
    const source = program.getSourceFile(entry);
    const module = source && checker.getSymbolAtLocation(source);
    if (!module) throw new Error(`${entry} is not a module`);
    for (const exported of checker.getExportsOfModule(module)) {
      const symbol =
        exported.flags & ts.SymbolFlags.Alias
          ? checker.getAliasedSymbol(exported)
          : exported;
      if (!isDocumented(symbol, checker))
        missing.push(`${entry}: ${exported.name}`);
    }
  }
  return missing;
}

function isDocumented(symbol: ts.Symbol, checker: ts.TypeChecker): boolean {
  if (symbol.getDocumentationComment(checker).length > 0) return true;
  // A comment made only of tags (`@deprecated ...`) counts too.
  return (symbol.declarations ?? []).some(
    (declaration) => ts.getJSDocCommentsAndTags(declaration).length > 0,
  );
}
