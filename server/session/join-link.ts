// The join URL and its QR code. Phones must reach the URL, so a localhost base is swapped for the
// machine's LAN address when the instructor opened the host page on the laptop itself.
import { networkInterfaces } from "node:os";
import QRCode from "qrcode";

const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]", "::1", "0.0.0.0"]);

/** The first non-internal IPv4 address, or null on a machine without a network. */
export function lanIPv4(interfaces = networkInterfaces()): string | null {
  for (const list of Object.values(interfaces)) {
    for (const info of list ?? []) if (info.family === "IPv4" && !info.internal) return info.address;
  }
  return null;
}

/** PUBLIC_URL wins; otherwise the request's base, with a loopback host replaced by the LAN address. */
export function joinBase(requestBase: string, publicUrl: string | undefined, lan: string | null = lanIPv4()): string {
  if (publicUrl) return publicUrl.replace(/\/$/, "");
  const url = new URL(requestBase);
  if (LOCAL_HOSTS.has(url.hostname) && lan) url.hostname = lan;
  return url.origin;
}

export const joinUrlFor = (base: string, code: string): string => `${base}/join/${code}`;

/** An SVG string: scales to any projector without blur. */
export function qrSvg(url: string): Promise<string> {
  return QRCode.toString(url, { type: "svg", margin: 1, errorCorrectionLevel: "M" });
}
