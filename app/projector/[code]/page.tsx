import { ProjectorSession } from "../../_components/session/projector-session";

export default async function ProjectorPage({ params }: { params: Promise<{ code: string }> }) {
  const { code } = await params;
  return <ProjectorSession code={code.toUpperCase()} />;
}
