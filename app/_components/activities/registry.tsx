"use client";
// Every activity's screens: one entry each (see docs/activities.md). The session shells pick the
// entry of the activity on the screen.
import type { ComponentType, ReactNode } from "react";
import type { ActivityKind, ActivityViews } from "@/contract/protocol/activities";
import type { SessionReview } from "@/contract/http/review";
import { GuessReviewView } from "./guess/guess-review";
import { HatReviewView } from "./hat/hat-review";
import { GuessHost, GuessStart } from "./guess/host-guess";
import { GuessPhone } from "./guess/phone-guess";
import { guessFinalePages, GuessProjector } from "./guess/projector-guess";
import { HostHatRunning, HostHatStart } from "./hat/host-hat";
import { PhoneHat } from "./hat/phone-hat";
import { hatFinalePages, ProjectorHat } from "./hat/projector-hat";
import { SlidePhone, SlideProjector, SlideStart } from "./slide/slide-screens";
import { ExplorePhone, ExploreProjector, ExploreStart } from "./explore/explore-screens";
import { CalibrationReviewView } from "./calibration/calibration-review";
import { CalibrationHost, CalibrationStart } from "./calibration/host-calibration";
import { PhoneCalibration } from "./calibration/phone-calibration";
import { calibrationFinalePages, ProjectorCalibration } from "./calibration/projector-calibration";
import type { HostProps, HostStartProps, PhoneProps, ProjectorProps } from "./types";

export interface ActivityScreens<K extends ActivityKind> {
  /** What the host console calls it, e.g. "Guess round". */
  label: string;
  Phone: ComponentType<PhoneProps<K>>;
  Projector: ComponentType<ProjectorProps<K>>;
  /** Controls while it is on the screen; null when it has none. */
  Host: ComponentType<HostProps<K>> | null;
  /** The form that starts it. */
  Start: ComponentType<HostStartProps>;
  /** What it left behind, as projector pages for the end of the session (each fits one screen). */
  finalePages: ((view: NonNullable<ActivityViews[K]["finale"]>) => ReactNode[]) | null;
  /** Its part of the facilitators' review page. */
  Review: ComponentType<{ review: SessionReview }> | null;
}

export const ACTIVITY_SCREENS: { [K in ActivityKind]: ActivityScreens<K> } = {
  guess: { label: "Guess round", Phone: GuessPhone, Projector: GuessProjector, Host: GuessHost, Start: GuessStart, finalePages: guessFinalePages, Review: GuessReviewView },
  hat: { label: "Hat game", Phone: PhoneHat, Projector: ProjectorHat, Host: HostHatRunning, Start: HostHatStart, finalePages: hatFinalePages, Review: HatReviewView },
  slide: { label: "Slide", Phone: SlidePhone, Projector: SlideProjector, Host: null, Start: SlideStart, finalePages: null, Review: null },
  explore: { label: "Explore", Phone: ExplorePhone, Projector: ExploreProjector, Host: null, Start: ExploreStart, finalePages: null, Review: null },
  calibration: { label: "Calibration game", Phone: PhoneCalibration, Projector: ProjectorCalibration, Host: CalibrationHost, Start: CalibrationStart, finalePages: calibrationFinalePages, Review: CalibrationReviewView },
};
