import { Suspense } from "react";
import { Card } from "../_components/form-bits";
import { AcceptInviteForm } from "../_components/account-forms";

export default function InvitePage() {
  return (
    <Card title="Join the teaching team">
      <Suspense>
        <AcceptInviteForm />
      </Suspense>
    </Card>
  );
}
