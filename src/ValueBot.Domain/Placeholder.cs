namespace ValueBot.Domain; public static class Placeholder {}
