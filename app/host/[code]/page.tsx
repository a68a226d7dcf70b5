import { HostConsole } from "../../_components/room/host-console";

export default async function HostPage({ params }: { params: Promise<{ code: string }> }) {
  const { code } = await params;
  return <HostConsole code={code.toUpperCase()} />;
}
