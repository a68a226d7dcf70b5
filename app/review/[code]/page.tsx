import { SessionReviewView } from "../../_components/review/session-review";

export default async function ReviewPage({ params }: { params: Promise<{ code: string }> }) {
  const { code } = await params;
  return <SessionReviewView code={code.toUpperCase()} />;
}
