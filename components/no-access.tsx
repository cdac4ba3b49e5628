export function NoAccess() {
  return (
    <main className="mx-auto max-w-lg py-16 text-center">
      <h1 className="mb-2 text-xl font-semibold">
        You don&apos;t have access to the admin console
      </h1>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        The console is for your workspace&apos;s admins, managers and support staff. If you need
        access, ask your workspace admin.
      </p>
    </main>
  );
}
