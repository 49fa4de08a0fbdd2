namespace ValueBot.Teams; public static class Placeholder {}
