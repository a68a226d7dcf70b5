import { PhoneRoom } from "../../_components/room/phone-room";

export default async function JoinPage({ params }: { params: Promise<{ code: string }> }) {
  const { code } = await params;
  return <PhoneRoom code={code.toUpperCase()} />;
}
