import { ProjectorRoom } from "../../_components/room/projector-room";

export default async function ProjectorPage({ params }: { params: Promise<{ code: string }> }) {
  const { code } = await params;
  return <ProjectorRoom code={code.toUpperCase()} />;
}
