// Codes from the camera: frames of the video drawn to a canvas and decoded with jsQR (Chromium on Linux has no
// BarcodeDetector). A code seen again within `repeatMs` is the same scan still in front of the lens.
import jsQR from 'jsqr';

export type CameraScan = { stop: () => void };

export async function startCamera(
  video: HTMLVideoElement,
  onCode: (code: string) => void,
  repeatMs = 2500,
): Promise<CameraScan> {
  const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' } });
  video.srcObject = stream;
  await video.play();
  const canvas = document.createElement('canvas');
  const context = canvas.getContext('2d', { willReadFrequently: true });
  let stopped = false;
  let lastCode = '';
  let lastAt = 0;
  const frame = () => {
    if (stopped) return;
    if (context && video.videoWidth > 0) {
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      context.drawImage(video, 0, 0);
      const image = context.getImageData(0, 0, canvas.width, canvas.height);
      const found = jsQR(image.data, image.width, image.height, { inversionAttempts: 'dontInvert' });
      const now = performance.now();
      if (found?.data && (found.data !== lastCode || now - lastAt > repeatMs)) {
        lastCode = found.data;
        lastAt = now;
        onCode(found.data);
      }
    }
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  return {
    stop() {
      stopped = true;
      for (const track of stream.getTracks()) track.stop();
      video.srcObject = null;
    },
  };
}
