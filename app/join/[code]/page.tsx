import { PhoneSession } from "../../_components/session/phone-session";

export default async function JoinPage({ params }: { params: Promise<{ code: string }> }) {
  const { code } = await params;
  return <PhoneSession code={code.toUpperCase()} />;
}
