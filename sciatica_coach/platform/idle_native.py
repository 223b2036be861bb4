"""Seconds since the last keyboard or mouse input on Windows and macOS, through ctypes (no Qt, no extra
program). Neither can tell whether the screen is locked, so the monitors built on these say "unknown".

Written to the documented APIs but never run in this project's CI (Linux only): Windows uses user32
GetLastInputInfo and kernel32 GetTickCount64; macOS reads IOKit's IOHIDSystem "HIDIdleTime" (nanoseconds)
through CoreFoundation. Each function answers None on any failure and never raises."""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import sys
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)

TICK_WRAP = 2**32  # LASTINPUTINFO.dwTime is a 32-bit tick count (milliseconds since boot)
NS_PER_S = 1_000_000_000
CF_STRING_ENCODING_UTF8 = 0x08000100
CF_NUMBER_SINT64 = 4
IO_MAIN_PORT_DEFAULT = 0


class _LastInputInfo(ctypes.Structure):
    _fields_ = [("cbSize", ctypes.c_uint), ("dwTime", ctypes.c_uint32)]


def windows_idle_reader() -> Callable[[], float | None] | None:
    """A function answering the seconds since the last input (GetLastInputInfo); None off Windows."""
    if sys.platform != "win32":
        return None
    try:
        windll: Any = getattr(ctypes, "windll")  # noqa: B009 - only on Windows, where typeshed has it
        user32, kernel32 = windll.user32, windll.kernel32
        user32.GetLastInputInfo.argtypes = [ctypes.POINTER(_LastInputInfo)]
        user32.GetLastInputInfo.restype = ctypes.c_int
        kernel32.GetTickCount64.argtypes = []
        kernel32.GetTickCount64.restype = ctypes.c_uint64
    except (OSError, AttributeError) as err:
        log.info("Windows idle time is not available: %s", err)
        return None

    def read() -> float | None:
        info = _LastInputInfo(ctypes.sizeof(_LastInputInfo), 0)
        if not user32.GetLastInputInfo(ctypes.byref(info)):
            return None
        # dwTime is GetTickCount's 32-bit value at the last input: compare it with the low 32 bits of now
        now = int(kernel32.GetTickCount64()) % TICK_WRAP
        return ((now - int(info.dwTime)) % TICK_WRAP) / 1000

    return read


def macos_idle_reader() -> Callable[[], float | None] | None:
    """A function answering the seconds since the last input (IOHIDSystem's HIDIdleTime); None off macOS."""
    if sys.platform != "darwin":
        return None
    try:
        iokit = ctypes.CDLL(
            ctypes.util.find_library("IOKit") or "/System/Library/Frameworks/IOKit.framework/IOKit"
        )
        cf = ctypes.CDLL(
            ctypes.util.find_library("CoreFoundation")
            or "/System/Library/Frameworks/CoreFoundation.framework/CoreFoundation"
        )
        vp, u32 = ctypes.c_void_p, ctypes.c_uint32
        iokit.IOServiceMatching.argtypes, iokit.IOServiceMatching.restype = [ctypes.c_char_p], vp
        iokit.IOServiceGetMatchingService.argtypes, iokit.IOServiceGetMatchingService.restype = [u32, vp], u32
        iokit.IORegistryEntryCreateCFProperty.argtypes = [u32, vp, vp, u32]
        iokit.IORegistryEntryCreateCFProperty.restype = vp
        iokit.IOObjectRelease.argtypes, iokit.IOObjectRelease.restype = [u32], ctypes.c_int
        cf.CFStringCreateWithCString.argtypes = [vp, ctypes.c_char_p, u32]
        cf.CFStringCreateWithCString.restype = vp
        cf.CFNumberGetValue.argtypes, cf.CFNumberGetValue.restype = [vp, ctypes.c_int, vp], ctypes.c_bool
        cf.CFRelease.argtypes, cf.CFRelease.restype = [vp], None
        key = cf.CFStringCreateWithCString(None, b"HIDIdleTime", CF_STRING_ENCODING_UTF8)
    except (OSError, AttributeError) as err:
        log.info("macOS idle time is not available: %s", err)
        return None
    if not key:
        return None

    def read() -> float | None:
        # IOServiceGetMatchingService consumes the matching dictionary; the service must be released
        service = iokit.IOServiceGetMatchingService(
            IO_MAIN_PORT_DEFAULT, iokit.IOServiceMatching(b"IOHIDSystem")
        )
        if not service:
            return None
        try:
            number = iokit.IORegistryEntryCreateCFProperty(service, key, None, 0)
            if not number:
                return None
            try:
                nanoseconds = ctypes.c_int64(0)
                if not cf.CFNumberGetValue(number, CF_NUMBER_SINT64, ctypes.byref(nanoseconds)):
                    return None
                return nanoseconds.value / NS_PER_S
            finally:
                cf.CFRelease(number)
        finally:
            iokit.IOObjectRelease(service)

    return read
