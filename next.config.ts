import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // The custom server in server/ owns /api and socket.io; Next renders pages only.
  poweredByHeader: false,
  reactStrictMode: true,
  devIndicators: false,
  // `npm run typecheck` checks the whole project (server, workers, tests) once; the page build need not.
  typescript: { ignoreBuildErrors: true },
};

export default nextConfig;
