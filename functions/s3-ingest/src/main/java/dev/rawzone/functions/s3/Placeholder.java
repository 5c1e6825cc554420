package dev.rawzone.functions.s3;
final class Placeholder {}
