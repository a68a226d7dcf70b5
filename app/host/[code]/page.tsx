import { HostConsole } from "../../_components/session/host-console";

export default async function HostPage({ params }: { params: Promise<{ code: string }> }) {
  const { code } = await params;
  return <HostConsole code={code.toUpperCase()} />;
}
