// Which slip-printer settings are serial ports (they get a speed and flow control), on Linux and on
// Windows: a COM port is serial even though "COM3" could be read as a host name.
import { describe, expect, it } from 'vitest';
import { isSerialTarget } from '../../../electron/devices/printer/transport';

describe('slip printer targets', () => {
  it('serial: Linux device paths and Windows COM ports', () => {
    for (const t of ['/dev/ttyS0', '/dev/ttyUSB0', '/dev/ttyACM1', 'COM3', 'com12']) expect(isSerialTarget(t)).toBe(true);
  });

  it('not serial: USB line printers, network printers, the simulator, nothing', () => {
    for (const t of ['/dev/usb/lp0', '192.168.1.50:9100', 'printer.hall.local:9100', 'tcp://10.0.0.7', 'tcp://10.0.0.7:9100', 'simulated', ''])
      expect(isSerialTarget(t)).toBe(false);
  });
});
