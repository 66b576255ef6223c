/** A visible keyboard shortcut hint, e.g. <Kbd>F2</Kbd>. */
export function Kbd({ children }: { children: string }) {
  return <span className="kbd">{children}</span>;
}
