import { Suspense } from "react";
import { Card } from "../_components/form-bits";
import { SetupForm } from "../_components/account-forms";

export default function SetupPage() {
  return (
    <Card title="Set up Token Hat">
      <p className="text-lg text-slate-300">Create the first instructor account. You can invite others afterwards.</p>
      <Suspense>
        <SetupForm />
      </Suspense>
    </Card>
  );
}
